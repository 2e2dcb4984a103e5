// ESLint flat config: the dashboard's ES modules (browser) and their unit tests (Node). `npm run lint`.
import js from '@eslint/js';
import globals from 'globals';

const house = {
  eqeqeq: ['error', 'always', { null: 'ignore' }], // `x != null` is the one allowed loose comparison
  'no-var': 'error',
  'prefer-const': 'error',
  'no-shadow': 'error',
  'no-implicit-globals': 'error',
  'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_' }],
};

export default [
  { ignores: ['target/**', 'node_modules/**', 'lossprism-data/**', 'data/**'] },
  js.configs.recommended,
  {
    files: ['web/js/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
    rules: house,
  },
  {
    files: ['src/test/js/**/*.js', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: house,
  },
];
