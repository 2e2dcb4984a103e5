// Pure arithmetic of web/js/metrics.js: class rows and shares, the failing class, the reduction chain, progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classRows, classState, progress, reductionChain, reportAverages, sortedClasses, worstIndex } from '../../../web/js/metrics.js';
import { batch } from './reports.js';

const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-12, what + ': ' + actual + ' vs ' + expected);

test('classState tells present, absent and correct, absent but predicted', () => {
  assert.equal(classState({ tp: 0, fp: 0, fn: 1 }), 'present');
  assert.equal(classState({ tp: 0, fp: 0, fn: 0 }), 'absentCorrect');
  assert.equal(classState({ tp: 0, fp: 3, fn: 0 }), 'absentPredicted');
});

test('sortedClasses orders by index and drops what is not an object', () => {
  assert.deepEqual(sortedClasses({ classes: [{ index: 1 }, null, { index: 0 }] }), [{ index: 0 }, { index: 1 }]);
  assert.deepEqual(sortedClasses(null), []);
});

test('classRows gives each class its share of the loss, of the positives and of the errors', () => {
  const rows = classRows(batch(1), ['a', 'b', 'c']);
  assert.deepEqual(rows.map((r) => r.name), ['a', 'b', 'c']);
  close(rows[0].lossShare, 0.4, 'a loss share'); // 5 of 12.5
  close(rows[1].lossShare, 0.2, 'b loss share');
  close(rows[0].positiveShare, 0.5, 'a positive share'); // 9 of 18 positives
  assert.equal(rows[1].positiveShare, 0);
  close(rows[2].errorShare, 9 / 11, 'c error share'); // FP + FN: a 2, b 0, c 9
  assert.equal(rows[1].iou, null);
  assert.equal(rows[1].state, 'absentCorrect');
  assert.equal(rows[2].state, 'present');
});

test('classRows takes names from the report when none are given', () => {
  assert.deepEqual(classRows(batch(1)).map((r) => r.name), ['a', 'b', 'c']);
});

test('shares are undefined, not zero, when the whole is zero', () => {
  const rows = classRows({ loss: 0, classes: [{ index: 0, name: 'x', loss: 0, tp: 0, fp: 0, fn: 0, tn: 4 }] });
  assert.equal(rows[0].lossShare, null);
  assert.equal(rows[0].positiveShare, null);
  assert.equal(rows[0].errorShare, null);
});

test('worstIndex is the lowest defined IoU; a tie goes to the larger share of the errors', () => {
  const rows = (ious, errorShares) => ious.map((iou, i) => ({ iou, errorShare: errorShares[i] }));
  assert.equal(worstIndex(rows([0.8, null, 0.1], [0.2, 0, 0.8])), 2);
  assert.equal(worstIndex(rows([0.3, 0.3], [0.1, 0.6])), 1);
  assert.equal(worstIndex(rows([0.3, 0.3], [0.6, 0.1])), 0);
  assert.equal(worstIndex(rows([null, null], [0, 0])), -1);
  assert.equal(worstIndex([]), -1);
});

test('reportAverages reads what the server sent for a metric', () => {
  assert.deepEqual(reportAverages(batch(1), 'dice'), { micro: 0.6, macro: 0.5, frequencyWeighted: 0.55 });
  assert.deepEqual(reportAverages(batch(1), 'iou'), { micro: 0.45, macro: 0.45, frequencyWeighted: 0.45 });
  assert.deepEqual(reportAverages({}, 'iou'), { micro: null, macro: null, frequencyWeighted: null });
});

test('the DL4J chain sums over pixels and classes and divides by the images', () => {
  const msg = batch(1);
  const ch = reductionChain(msg, classRows(msg));
  assert.equal(ch.convention, 'dl4j');
  assert.equal(ch.sumsOverPixels, true);
  assert.equal(ch.images, 2);
  assert.equal(ch.pixels, 10); // (TP + FP + FN + TN) / N = 20 / 2
  assert.equal(ch.elements, 60);
  assert.deepEqual(ch.sums, [10, 5, 10]); // term x 2 images
  assert.equal(ch.total, 25);
  assert.equal(ch.pixelDivisor, 1);
  assert.equal(ch.divisor, 2);
  assert.equal(ch.result, 12.5); // the terms add up to the loss
});

test('the Keras and PyTorch chain divides by every element', () => {
  const msg = batch(1, 'train', { convention: 'torch', loss: 12.5 / 30 });
  const rows = classRows(msg).map((r) => Object.assign(r, { loss: r.loss / 30 })); // terms of a mean
  const ch = reductionChain(msg, rows);
  assert.equal(ch.sumsOverPixels, false);
  assert.equal(ch.pixelDivisor, 30); // P x C
  assert.equal(ch.divisor, 60);
  close(ch.total, 25, 'sum of all elements');
  close(ch.result, 12.5 / 30, 'mean over the 60 elements');
});

test('progress counts epochs and the iteration within the epoch', () => {
  const p = progress({ state: 'training', epoch: 1, epochs: 3, iteration: 14, iterationsPerEpoch: 10 }, 2, 20);
  assert.equal(p.total, 30);
  assert.equal(p.remaining, 16);
  close(p.epochsDone, 1.4, 'epochs done');
  assert.equal(p.currentEpoch, 2);
  assert.equal(p.inEpoch, 4);
  close(p.etaSeconds, 16 / (20 / 2), 'ETA: 16 iterations at 10 per second');
});

test('the last iteration of an epoch is the epoch full, not the next one empty', () => {
  const p = progress({ state: 'training', epoch: 0, epochs: 3, iteration: 10, iterationsPerEpoch: 10 }, 2, 20);
  assert.equal(p.inEpoch, 10);
});

test('a finished run is complete; no throughput, no ETA', () => {
  const done = progress({ state: 'finished', epoch: 2, epochs: 3, iteration: 27, iterationsPerEpoch: 10 }, 2, 20);
  assert.equal(done.remaining, 0);
  assert.equal(done.epochsDone, 3);
  const unknown = progress({ state: 'training', epoch: 0, epochs: 3, iteration: 5, iterationsPerEpoch: 10 }, 2, null);
  assert.equal(unknown.etaSeconds, null);
  const noSize = progress({ state: 'starting', epoch: 0, epochs: null, iteration: 0, iterationsPerEpoch: null }, 2, 20);
  assert.equal(noSize.total, null);
  assert.equal(noSize.etaSeconds, null);
});
