// SeriesStore (web/js/series.js): merging by iteration, bounded memory by thinning, and the compact rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesStore, toRow } from '../../../web/js/series.js';
import { batch } from './reports.js';

test('toRow orders classes by index and takes the averages the server sent', () => {
  const row = toRow(batch(3));
  assert.equal(row.iteration, 3);
  assert.deepEqual(row.terms, [5, 2.5, 5]);
  assert.deepEqual(row.iou, [0.8, null, 0.1]);
  assert.deepEqual(row.iouAvg, { micro: 0.45, macro: 0.45, frequencyWeighted: 0.45 });
  assert.deepEqual(row.diceAvg, { micro: 0.6, macro: 0.5, frequencyWeighted: 0.55 });
});

test('toRow leaves averages undefined (null) when the report has none, never computing them', () => {
  const row = toRow(batch(3, 'train', { iou: undefined, dice: { micro: null, macro: 'x', frequencyWeighted: 0.2 } }));
  assert.deepEqual(row.iouAvg, { micro: null, macro: null, frequencyWeighted: null });
  assert.deepEqual(row.diceAvg, { micro: null, macro: null, frequencyWeighted: 0.2 });
});

test('merge sorts by iteration and a report of an iteration held replaces it', () => {
  const s = new SeriesStore();
  assert.equal(s.merge([batch(1), batch(2), batch(3), batch(4), batch(5)]), 5);
  s.merge([batch(8), batch(3, 'train', { loss: 99 }), batch(4), batch(6), batch(7)]);
  assert.deepEqual(s.iterations(), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(s.rows[2].loss, 99);
  assert.equal(s.lastIteration(), 8);
  assert.equal(s.latest.iteration, 8);
});

test('add ignores a report without an iteration and keeps the newest as latest', () => {
  const s = new SeriesStore();
  assert.equal(s.add({ loss: 1 }), false);
  s.add(batch(5));
  s.add(batch(2)); // late, older
  assert.deepEqual(s.iterations(), [2, 5]);
  assert.equal(s.latest.iteration, 5);
});

test('every change moves the version, so views redraw only when needed', () => {
  const s = new SeriesStore();
  const v0 = s.version;
  s.add(batch(1));
  const v1 = s.version;
  s.clear();
  assert.ok(v1 > v0 && s.version > v1);
  assert.equal(s.length, 0);
  assert.equal(s.latest, null);
  assert.equal(s.lastIteration(), null);
});

test('past the bound the older half is thinned to every second row, the newest half kept whole', () => {
  const s = new SeriesStore(8);
  for (let i = 1; i <= 9; i++) s.add(batch(i));
  // 9 rows > 8: the older half (4 rows: 1..4) keeps 1 and 3, the newer half 5..9 stays
  assert.deepEqual(s.iterations(), [1, 3, 5, 6, 7, 8, 9]);
  assert.equal(s.lastIteration(), 9);
});

test('a store never holds more than its bound, however many reports come', () => {
  const s = new SeriesStore(100);
  for (let i = 1; i <= 5000; i++) s.add(batch(i));
  assert.ok(s.length <= 100, String(s.length));
  const its = s.iterations();
  assert.equal(its[0], 1);
  assert.equal(its[its.length - 1], 5000);
  for (let i = 1; i < its.length; i++) assert.ok(its[i] > its[i - 1]);
  // the newest stretch keeps full resolution
  assert.deepEqual(its.slice(-10), [4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
});

test('column reads one value per row', () => {
  const s = new SeriesStore();
  s.merge([batch(1), batch(2, 'train', { loss: 3 })]);
  assert.deepEqual(s.column((r) => r.loss), [12.5, 3]);
});
