// The live-runs picker (web/js/picker.js): which run the URL names, the options it lists, the URLs it makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiPath, pickerOptions, runFromSearch, runLabel, urlForRun } from '../../../web/js/picker.js';

const live = {
  default: 'run-20261130-1',
  runs: [
    { id: 'ext-2', name: 'keras unet', kind: 'external', state: 'training', iteration: 40 },
    { id: 'run-20261130-1', name: 'run-20261130-1', kind: 'dl4j', state: 'training', iteration: 300 },
  ],
};

test('the URL names the run followed; no or an empty run means the default', () => {
  assert.equal(runFromSearch('?run=ext-2'), 'ext-2');
  assert.equal(runFromSearch('?feed=off&run=%20a%20b%20'), 'a b');
  assert.equal(runFromSearch('?run='), null);
  assert.equal(runFromSearch(''), null);
});

test('picking a run sets ?run= and keeps other parameters; the default removes it', () => {
  assert.equal(urlForRun('http://h:1/?feed=off#table', 'ext 2'), '/?feed=off&run=ext+2#table');
  assert.equal(urlForRun('http://h:1/?run=ext-2&x=1', null), '/?x=1');
  assert.equal(apiPath('/api/alerts', 'ext/2'), '/api/alerts?run=ext%2F2');
  assert.equal(apiPath('/api/alerts', null), '/api/alerts');
});

test('options: the default first, then the live runs as the server lists them, the followed one selected', () => {
  const options = pickerOptions(live, 'ext-2');
  assert.deepEqual(options.map((o) => o.value), ['', 'ext-2', 'run-20261130-1']);
  assert.deepEqual(options.map((o) => o.selected), [false, true, false]);
  assert.equal(options[0].text, 'default run (run-20261130-1)');
  assert.equal(options[1].text, 'keras unet (ext-2) · external, training, iteration 40');
  assert.equal(options[2].text, 'run-20261130-1 · dl4j, training, iteration 300');
  assert.deepEqual(pickerOptions(live, null).map((o) => o.selected), [true, false, false]);
});

test('a followed run that ended stays listed as not live; a bad answer lists the default only', () => {
  const options = pickerOptions(live, 'ext-1');
  assert.deepEqual(options.at(-1), { value: 'ext-1', text: 'ext-1 · not live', selected: true });
  assert.deepEqual(pickerOptions(null, null), [{ value: '', text: 'default run', selected: true }]);
  assert.deepEqual(pickerOptions({ runs: [null, {}] }, null).map((o) => o.value), ['']);
  assert.equal(runLabel({ id: 'x' }), 'x · run, unknown');
});
