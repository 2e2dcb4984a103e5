import { test } from 'node:test';
import assert from 'node:assert/strict';

import { historyReports } from '../../../web/js/history.js';
import { toRow } from '../../../web/js/series.js';
import { createRunState } from '../../../web/js/state.js';
import { batch, columnarHistory, hello, history } from './reports.js';

test('a columnar history decodes to the rows the charts draw from the same batches', () => {
  const decoded = historyReports(columnarHistory('train', 0, [1, 2, 5]));
  assert.deepEqual(decoded.map((r) => r.iteration), [1, 2, 5]);
  assert.deepEqual(decoded.map(toRow), [1, 2, 5].map((i) => toRow(batch(i))));
  assert.deepEqual(decoded[2], batch(5), 'the last report is the whole one');
  assert.equal(decoded[0].classes[2].name, 'c');
  assert.equal(decoded[0].classes[1].iou, null, 'an undefined IoU stays undefined');
});

test('the older form, an array of batch objects, still reads', () => {
  const decoded = historyReports(history('validation', 3, [4, 6]));
  assert.deepEqual(decoded, [batch(4, 'validation'), batch(6, 'validation')]);
});

test('missing or short columns give undefined values, never 0; entries without an iteration are skipped', () => {
  const msg = columnarHistory('train', 0, [1, 2], { loss: [3], iou: undefined, last: undefined });
  msg.iteration = [1, 'x', 2];
  const decoded = historyReports(msg);
  assert.deepEqual(decoded.map((r) => r.iteration), [1, 2]);
  assert.equal(decoded[0].loss, 3);
  assert.equal(decoded[1].loss, null);
  assert.deepEqual(decoded[0].iou, { micro: null, macro: null, frequencyWeighted: null });
  assert.deepEqual(historyReports({ type: 'history', split: 'train' }), []);
  assert.deepEqual(historyReports(null), []);
});

test('the run state merges a columnar history and takes the classes and latest report from it', () => {
  const run = createRunState();
  run.applyHello(hello('r1', 'training', { classes: undefined }));
  run.onHistory(columnarHistory('train', 0, [1, 2, 3]));
  assert.deepEqual(run.classes, ['a', 'b', 'c']);
  assert.equal(run.stores.train.length, 3);
  assert.deepEqual(run.stores.train.latest, batch(3));
  assert.equal(run.status.iteration, 3);
  run.onHistory(columnarHistory('train', 2, [3, 4]));
  assert.deepEqual(run.stores.train.iterations(), [1, 2, 3, 4], 'an overlapping gap fill makes no duplicates');
});

test('a hello of another feed protocol leaves a warning', () => {
  const run = createRunState();
  run.note(hello('r1', 'training', { protocol: 3 }));
  assert.equal(run.versionWarning, '');
  run.note(hello('r1', 'training', { protocol: 2 }));
  assert.match(run.versionWarning, /feed protocol 2; this page expects protocol 3/);
});
