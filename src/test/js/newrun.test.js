// The new-run form's data (web/js/newrun.js): values from a stored configuration, the overrides sent,
// and the remedies for a class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten, formText, overridesFrom, parseList, prevalenceOf, remedies, valuesFromConfig } from '../../../web/js/newrun.js';

test('a stored configuration fills the fields; keys at their default stay empty', () => {
  const v = valuesFromConfig({ 'training.loss': 'focal', 'training.posWeight': [1, 650.5], 'training.imageSize': 32, 'http.port': 0 });
  assert.equal(v['training.loss'], 'focal');
  assert.equal(v['training.posWeight'], '[1, 650.5]');
  assert.equal(v['training.imageSize'], '32');
  assert.equal(v['training.learningRate'], '');
  assert.equal(v['http.port'], undefined);
});

test('nested and flat configurations read alike', () => {
  assert.deepEqual(flatten({ training: { loss: 'dice', classWeights: [1, 2] }, 'model.depth': 3 }),
    { 'training.loss': 'dice', 'training.classWeights': [1, 2], 'model.depth': 3 });
  assert.equal(formText(false), 'false');
});

test('overrides: non-empty fields as typed, then the extra lines without comments', () => {
  const v = valuesFromConfig({});
  v['training.loss'] = ' bce_dice ';
  v['training.epochs'] = '2';
  assert.deepEqual(overridesFrom(v, 'data.trainImages=8\n\n# a note\n  monitor.validationEveryIterations=2 '),
    ['training.loss=bce_dice', 'training.epochs=2', 'data.trainImages=8', 'monitor.validationEveryIterations=2']);
});

test('lists parse with or without brackets', () => {
  assert.deepEqual(parseList('[1, 2.5]'), [1, 2.5]);
  assert.deepEqual(parseList('3,4'), [3, 4]);
  assert.deepEqual(parseList('[]'), []);
  assert.equal(parseList('[a, 1]'), null);
});

test('prevalence pools the reports\' pixels', () => {
  const r = (tp, fp, fn, tn) => ({ classes: [{ name: 'speck', tp, fp, fn, tn }] });
  assert.equal(prevalenceOf([r(1, 0, 1, 98), r(0, 2, 0, 98)], 'speck'), 0.01);
  assert.equal(prevalenceOf([r(0, 0, 0, 0)], 'speck'), null);
  assert.equal(prevalenceOf([], 'speck'), null);
});

test('the posWeight remedy sets the class\'s negative/positive ratio and keeps the others', () => {
  const current = valuesFromConfig({ 'training.posWeight': [2, 1, 3] });
  const [pw, bd] = remedies(['disc', 'speck', 'ring'], 'speck', 0.0015, current);
  assert.equal(pw.id, 'posWeight');
  assert.equal(pw.values['training.posWeight'], '[2, 666, 3]'); // 0.9985 / 0.0015 = 665.67, 3 digits
  assert.equal(pw.values['training.loss'], 'bce');
  assert.match(pw.why, /0\.15% of the pixels/);
  assert.deepEqual(bd.values, { 'training.loss': 'bce_dice', 'training.dice': 'macro' });
});

test('without a usable prevalence only BCE + Dice is offered; posWeight keeps a cross-entropy loss', () => {
  assert.deepEqual(remedies(['a', 'b'], 'b', null, {}).map((r) => r.id), ['bceDice']);
  assert.deepEqual(remedies(['a', 'b'], 'b', 0, {}).map((r) => r.id), ['bceDice']);
  const focal = remedies(['a', 'b'], 'b', 0.25, { 'training.loss': 'focal', 'training.posWeight': '[1]' })[0];
  assert.equal(focal.values['training.loss'], 'focal');
  assert.equal(focal.values['training.posWeight'], '[1, 3]'); // a list of the wrong length starts from all 1
});
