// What the charts are given (web/js/charts.js) and when new chart data waits (web/js/redraw.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compositionData, compositionLayers, metricData } from '../../../web/js/charts.js';
import { CHART_COST_FACTOR, createChartPacer } from '../../../web/js/redraw.js';
import { SeriesStore } from '../../../web/js/series.js';
import { batch } from './reports.js';

function store(...reports) {
  const s = new SeriesStore();
  s.merge(reports);
  return s;
}

test('composition layers: a class whole, or its positive part under its negative part', () => {
  assert.deepEqual(compositionLayers(['a', 'b'], false).map((l) => l.label), ['a', 'b']);
  assert.deepEqual(compositionLayers(['a', 'b'], true).map((l) => [l.cls, l.part]),
    [[0, 'positive'], [0, 'negative'], [1, 'positive'], [1, 'negative']]);
});

test('the composition stacks the class terms up to the aggregate loss', () => {
  const { stacked, raw } = compositionData(store(batch(1), batch(2)), compositionLayers(['a', 'b', 'c'], false));
  assert.deepEqual(stacked[0], [1, 2]); // iterations
  assert.deepEqual(stacked.slice(1, 4), [[5, 5], [7.5, 7.5], [12.5, 12.5]]);
  assert.deepEqual(stacked[4], [12.5, 12.5]); // the aggregate: the top layer meets it
  assert.deepEqual(raw, [[5, 5], [2.5, 2.5], [5, 5]]);
});

test('an undefined term leaves a gap from its layer upwards, not a drop', () => {
  const broken = batch(2);
  broken.classes = broken.classes.map((c) => (c.name === 'b' ? { ...c, loss: null } : c));
  const { stacked } = compositionData(store(batch(1), broken), compositionLayers(['a', 'b', 'c'], false));
  assert.deepEqual(stacked[1], [5, 5]);
  assert.deepEqual(stacked[2], [7.5, null]);
  assert.deepEqual(stacked[3], [12.5, null]);
});

test('the metric chart gets the classes and the three averages the server sent', () => {
  const data = metricData(store(batch(1)), 3, 'dice');
  assert.equal(data.length, 1 + 3 + 3);
  assert.deepEqual(data.slice(4), [[0.6], [0.5], [0.55]]);
  assert.deepEqual(metricData(store(batch(1)), 3, 'iou').slice(1, 4), [[0.8], [null], [0.1]]);
});

test('new chart data waits while drawing would take more than 1/CHART_COST_FACTOR of the time', () => {
  const pacer = createChartPacer();
  assert.equal(pacer.shouldWait(true, 0), false); // nothing drawn yet
  pacer.drew(1000, 1010); // a drawing that cost 10 ms
  assert.equal(pacer.shouldWait(true, 1000 + 10 * CHART_COST_FACTOR - 1), true);
  assert.equal(pacer.shouldWait(true, 1000 + 10 * CHART_COST_FACTOR), false);
  assert.equal(pacer.shouldWait(false, 1001), false); // nothing new to draw: highlight changes go through
});
