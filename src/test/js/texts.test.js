// The texts the page builds from the run (summary.js, progress.js, headline.js) and the view switches (views.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagesText, configText, runText } from '../../../web/js/summary.js';
import { etaNote } from '../../../web/js/progress.js';
import { conventionName, notes } from '../../../web/js/headline.js';
import { metricValue, splitValue } from '../../../web/js/views.js';

test('the averages line shows the server values and the gap that reveals a failing rare class', () => {
  assert.equal(averagesText(9, { micro: 0.45, macro: 0.45, frequencyWeighted: 0.45 }),
    'Latest (iteration 9): micro 0.450 · macro 0.450 · frequency-weighted 0.450 · gap frequency-weighted − macro 0.000');
  assert.equal(averagesText(3, { micro: 0.9, macro: 0.6, frequencyWeighted: 0.85 }),
    'Latest (iteration 3): micro 0.900 · macro 0.600 · frequency-weighted 0.850 · gap frequency-weighted − macro 0.250'
    + ' (a rare class is failing)');
});

test('a gap just below zero is shown as 0.000, not -0.000', () => {
  assert.match(averagesText(1, { micro: 0.5, macro: 0.5002, frequencyWeighted: 0.5 }), /gap frequency-weighted − macro 0\.000$/);
});

test('undefined averages are dashes and leave the gap out', () => {
  assert.equal(averagesText(1, { micro: null, macro: null, frequencyWeighted: null }),
    'Latest (iteration 1): micro — · macro — · frequency-weighted —');
});

test('the configuration line names what is known', () => {
  assert.equal(configText({ imageSize: 64, batchSize: 16, iterationsPerEpoch: 32, convention: 'dl4j' }, 5, 120),
    '64×64 images · batch 16 · 5 classes · 32 iterations/epoch · loss convention: dl4j · 120 reports held');
  assert.equal(configText({}, 0, 0), '0 reports held');
  assert.equal(runText(null), '');
  assert.equal(runText({ id: 'r1' }), '(r1)');
});

test('the ETA note gives the smoothed throughput as sent and the iterations left', () => {
  assert.equal(etaNote(31.26, 1200), 'at 31.3 images/s (smoothed), 1,200 iterations left');
  assert.equal(etaNote(31.26, null), 'at 31.3 images/s (smoothed)');
  assert.equal(etaNote(0, 10), ''); // starting: no throughput yet
  assert.equal(etaNote(null, 10), '');
});

test('notes: a failure first, then the server message, a version mismatch, missing charts, downsampled history', () => {
  const none = { train: false, validation: false };
  assert.deepEqual(notes({ state: 'training', message: '' }, '', true, none), []);
  assert.deepEqual(notes({ state: 'failed', message: 'out of memory' }, 'v2', false, { train: false, validation: true }), [
    'Training failed: out of memory', 'v2', 'Charts unavailable: uPlot could not be loaded from /webjars.',
    'Older validation history was downsampled by the server (extremes kept).']);
  assert.deepEqual(notes({ state: 'failed', message: '' }, '', true, none), ['Training failed.']);
  assert.deepEqual(notes({ state: 'unresumable', message: 'checkpoint-000000000040.zip: truncated' }, '', true, none),
    ['This run cannot be resumed: checkpoint-000000000040.zip: truncated. Its history is kept; start a new run, '
      + 'or restore a readable checkpoint and resume.']);
  assert.deepEqual(notes({ state: 'paused', message: 'loss not finite' }, '', true, none), ['loss not finite']);
});

test('framework names, and view values that fall back to the defaults', () => {
  assert.equal(conventionName('torch'), 'PyTorch');
  assert.equal(conventionName('jax'), 'jax');
  assert.equal(conventionName(undefined), 'the framework');
  assert.equal(splitValue('validation'), 'validation');
  assert.equal(splitValue('test'), 'train');
  assert.equal(metricValue('dice'), 'dice');
  assert.equal(metricValue('f1'), 'iou');
});
