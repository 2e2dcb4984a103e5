// The compare view's data (web/js/comparedata.js): series in one form, aligned by iteration, stacked
// terms, the table at one iteration with differences to the first run, rarest class first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alignSeries, allClasses, compareTable, configDifferences, latestCommon, normCompare, runDash, runSeries, stackTerms, valueText,
} from '../../../web/js/comparedata.js';

const perClass = {
  id: 'r1', name: 'first', iterations: [1, 3, 5],
  classes: [{ name: 'a', iou: [0.1, 0.2, 0.3], dice: [0.2, 0.3, 0.4], loss: [1, 2, 3] }, { name: 'b', iou: [0.5, null, 0.7], dice: [0.6, null, 0.8], loss: [4, 5, 6] }],
};
const perPoint = {
  id: 'r2', series: [
    { iteration: 4, classes: [{ name: 'b', iou: 0.9, dice: 0.95, loss: 0.5 }, { name: 'a', iou: 0.4, dice: 0.5, loss: 0.25 }] },
    { iteration: 2, classes: [{ name: 'a', iou: 0.35, dice: 0.45, loss: 0.3 }, { name: 'b', iou: 0.8, dice: 0.9, loss: 0.6 }] },
  ],
};

test('series per class and per point come out alike, iterations ascending', () => {
  const s = runSeries(perClass);
  assert.deepEqual(s.classes, ['a', 'b']);
  assert.deepEqual(s.iterations, [1, 3, 5]);
  assert.deepEqual(s.values.iou[1], [0.5, null, 0.7]);
  const p = runSeries(perPoint);
  assert.deepEqual(p.classes, ['b', 'a']);
  assert.deepEqual(p.iterations, [2, 4]);
  assert.deepEqual(p.values.iou[1], [0.35, 0.4]);
  const q = runSeries({ classes: [{ name: 'a', points: [{ iteration: 7, iou: 0.1, dice: 0.2, loss: 3 }] }] });
  assert.deepEqual(q.iterations, [7]);
  assert.deepEqual(q.values.loss, [[3]]);
});

test('aligned on the union of iterations, a gap where a run has no point', () => {
  const c = normCompare({ runs: [perClass, perPoint] });
  const { data, series } = alignSeries(c.runs, ['a', 'b'], 'iou');
  assert.deepEqual(data[0], [1, 2, 3, 4, 5]);
  assert.deepEqual(series.map((s) => [s.run, s.cls]), [[0, 'a'], [0, 'b'], [1, 'a'], [1, 'b']]);
  assert.deepEqual(data[1], [0.1, null, 0.2, null, 0.3]);
  assert.deepEqual(data[2], [0.5, null, null, null, 0.7]);
  assert.deepEqual(data[3], [null, 0.35, null, 0.4, null]);
  const only = alignSeries(c.runs, ['b'], 'dice');
  assert.deepEqual(only.data.slice(1), [[0.6, null, null, null, 0.8], [null, 0.9, null, 0.95, null]]);
});

test('terms stack in class order; a missing term leaves a gap from there up', () => {
  const c = normCompare({ runs: [{ id: 'x', iterations: [1, 2], classes: [{ name: 'a', loss: [1, null] }, { name: 'b', loss: [2, 3] }] }] });
  assert.deepEqual(stackTerms(c.runs[0]), [[1, 2], [1, null], [3, null]]);
});

test('latest common iteration: the server\'s, else the smallest latest', () => {
  const c = normCompare({ runs: [perClass, perPoint] });
  assert.equal(latestCommon(c), 4);
  assert.equal(latestCommon(normCompare({ latestCommonIteration: 3, runs: [perClass, perPoint] })), 3);
  assert.deepEqual(allClasses(c.runs), ['a', 'b']);
});

test('config differences from either shape, keys sorted', () => {
  assert.deepEqual(configDifferences({ 'training.loss': ['bce', 'bce_dice'] }, ['r1', 'r2']),
    [{ key: 'training.loss', values: ['bce', 'bce_dice'] }]);
  assert.deepEqual(configDifferences({ 'training.lr': { r2: 0.01 }, 'a.b': { r1: 1, r2: 2 } }, ['r1', 'r2']),
    [{ key: 'a.b', values: [1, 2] }, { key: 'training.lr', values: [undefined, 0.01] }]);
  assert.deepEqual(configDifferences([{ key: 'k', values: [1, 2] }], ['r1', 'r2']), [{ key: 'k', values: [1, 2] }]);
  assert.equal(valueText(undefined), '(default)');
  assert.equal(valueText([1, 650]), '[1, 650]');
});

test('the table: each run\'s value, the difference to the first, rarest class first', () => {
  const rep = (a, b) => ({ classes: [
    { name: 'common', iou: a, dice: a, prevalence: 0.2 },
    { name: 'rare', iou: b, dice: b, prevalence: 0.001 },
  ] });
  const rows = compareTable(['common', 'rare'], [rep(0.9, 0), rep(0.85, 0.25), null], 'iou');
  assert.deepEqual(rows.map((r) => r.name), ['rare', 'common']);
  assert.deepEqual(rows[0].values, [0, 0.25, null]);
  assert.deepEqual(rows[0].diffs, [null, 0.25, null]);
  assert.ok(Math.abs(rows[1].diffs[1] - -0.05) < 1e-12);
});

test('one line style per run, cycling past six', () => {
  assert.equal(runDash(0), null);
  assert.notDeepEqual(runDash(1), runDash(2));
  assert.deepEqual(runDash(6), runDash(0));
});

test('the server\'s shape: per-class series on one shared axis, nulls where only the other run reported', () => {
  const c = normCompare({
    split: 'validation', iterations: [2, 4, 6], latestCommonIteration: 4,
    configDifferences: { 'training.learningRate': [null, 0.01] },
    runs: [
      { id: 'a', name: 'base', state: 'finished', latestIteration: 6, series: { loss: [3, 2, 1], classes: [
        { name: 'x', iou: [0.1, 0.2, 0.3], dice: [0.2, 0.3, 0.4], loss: [2, 1, 0.5] },
        { name: 'y', iou: [null, 0.5, 0.6], dice: [null, 0.6, 0.7], loss: [1, 1, 0.5] }] } },
      { id: 'b', name: '', state: 'training', latestIteration: 4, series: { loss: [1, 0.5, null], classes: [
        { name: 'x', iou: [0.3, 0.4, null], dice: [0.4, 0.5, null], loss: [0.5, 0.25, null] },
        { name: 'y', iou: [0.7, 0.8, null], dice: [0.8, 0.9, null], loss: [0.5, 0.25, null] }] } },
    ],
  });
  assert.equal(c.split, 'validation');
  assert.deepEqual(c.runs[0].iterations, [2, 4, 6]);
  assert.deepEqual(c.runs[1].iterations, [2, 4]);
  assert.deepEqual(c.runs[0].values.iou[1], [null, 0.5, 0.6]); // a class undefined at 2 is still a point of the run
  assert.equal(latestCommon(c), 4);
  assert.deepEqual(c.differences, [{ key: 'training.learningRate', values: [null, 0.01] }]);
  assert.deepEqual(stackTerms(c.runs[1]), [[2, 4], [0.5, 0.25], [1, 0.5]]);
});
