// The run state (web/js/state.js): what hello, history, batch, status and samples messages do to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classNamesOf, createRunState, runIdOf } from '../../../web/js/state.js';
import { batch, hello, history, status } from './reports.js';

function started(runId = 'r1', state = 'training') {
  const built = [];
  const run = createRunState({ classesChanged: (names) => built.push(names.slice()) });
  run.applyHello(hello(runId, state));
  return { run, built };
}

test('a hello gives the configuration, the classes and the status', () => {
  const { run, built } = started();
  assert.equal(run.runId, 'r1');
  assert.deepEqual(run.classes, ['a', 'b', 'c']);
  assert.deepEqual(built, [['a', 'b', 'c']]);
  assert.equal(run.config.batchSize, 2);
  assert.equal(run.config.convention, 'dl4j');
  assert.equal(run.status.state, 'training');
  assert.equal(run.status.epochs, 3);
  assert.equal(run.imagesPerIteration(), 2);
});

test('a hello without a status asks for one unless its run names a state', () => {
  const run = createRunState();
  assert.equal(run.applyHello(hello('r1', 'paused', { status: undefined })), false);
  assert.equal(run.status.state, 'paused');
  assert.equal(createRunState().applyHello(hello('r1', 'paused', { status: undefined, run: undefined })), true);
});

test('history merges without duplicates, in any order, and counts what it added', () => {
  const { run } = started();
  run.onHistory(history('train', 0, [1, 2, 3, 4, 5]));
  run.onHistory(history('train', 2, [8, 3, 4, 6, 7])); // a gap fill overlapping what is held, unsorted
  run.onBatch(batch(9));
  run.onHistory(history('validation', 0, [5]));
  assert.deepEqual(run.stores.train.iterations(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(run.held(), { train: 9, validation: 5 });
  assert.equal(run.batches, 12); // messages received, duplicates included
});

test('batches before the history merge with it by iteration: no duplicates, no gaps, in order', () => {
  const { run } = started();
  run.onBatch(batch(501));
  run.onBatch(batch(502));
  assert.deepEqual(run.held(), { train: null, validation: null }, 'batches alone claim nothing below them');
  run.onHistory(history('train', 0, [1, 2, 3, 499, 500])); // the shared snapshot, built a little earlier
  run.onHistory(history('train', 500, [501, 502, 503])); // the reports after it, those batches among them
  run.onBatch(batch(504));
  run.onHistory(history('validation', 0, []));
  assert.deepEqual(run.stores.train.iterations(), [1, 2, 3, 499, 500, 501, 502, 503, 504]);
  assert.deepEqual(run.held(), { train: 504, validation: null });
  run.onBatch(batch(505, 'validation'));
  assert.deepEqual(run.held(), { train: 504, validation: 505 }, 'an empty history holds everything before it');
});

test('a reconnect before the history arrived asks for the whole history again', () => {
  const { run } = started();
  run.onBatch(batch(41));
  run.onBatch(batch(42));
  assert.deepEqual(run.held(), { train: null, validation: null });
  run.applyHello(hello('r1', 'training')); // reconnected, asking for everything
  run.onBatch(batch(43));
  run.onHistory(history('train', 0, [1, 2, 40, 41, 42, 43]));
  assert.deepEqual(run.held(), { train: 43, validation: null });
  assert.deepEqual(run.stores.train.iterations(), [1, 2, 40, 41, 42, 43]);
});

test('after a reconnect, batches before the gap history do not move the resume point past the gap', () => {
  const { run } = started();
  run.onHistory(history('train', 0, [1, 2, 3]));
  run.onBatch(batch(4));
  assert.deepEqual(run.held().train, 4);
  run.applyHello(hello('r1', 'training')); // reconnected with trainAfter=4; 5..9 missed meanwhile
  run.onBatch(batch(10));
  run.onBatch(batch(11));
  assert.equal(run.held().train, 4, 'the gap 5..9 is not held yet');
  run.onHistory(history('train', 7, [8, 9])); // a history past a hole changes nothing
  assert.equal(run.held().train, 4);
  run.onHistory(history('train', 4, [5, 6, 7, 8, 9, 10, 11]));
  run.onBatch(batch(12));
  assert.equal(run.held().train, 12);
  assert.deepEqual(run.stores.train.iterations(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test('a training batch says where training is; the throughput is the one the trainer smoothed', () => {
  const { run } = started('r1', 'starting');
  run.onBatch(batch(14, 'train', { imagesPerSecond: 31.5 }));
  assert.equal(run.status.iteration, 14);
  assert.equal(run.status.epoch, 1);
  assert.equal(run.status.imagesPerSecond, 31.5); // as sent, not smoothed again
  assert.equal(run.status.state, 'training');
  run.onBatch(batch(12, 'train', { imagesPerSecond: 99 })); // late: not where training is now
  assert.equal(run.status.iteration, 14);
  assert.equal(run.status.imagesPerSecond, 31.5);
  run.onBatch(batch(15, 'validation', { imagesPerSecond: 5 })); // validation says nothing about training speed
  assert.equal(run.status.imagesPerSecond, 31.5);
});

test('a status never moves the iteration back, except a starting one (a run begins again)', () => {
  const { run } = started();
  run.applyStatus(status('training', 20, { imagesPerSecond: 18 }));
  run.applyStatus(status('paused', 12, { message: 'paused by a user', imagesPerSecond: undefined }));
  assert.equal(run.status.iteration, 20);
  assert.equal(run.status.state, 'paused');
  assert.equal(run.status.message, 'paused by a user');
  assert.equal(run.status.imagesPerSecond, 18); // kept when a status carries none
  run.applyStatus(status('starting', 0));
  assert.equal(run.status.iteration, 0);
  assert.equal(run.status.message, '');
});

test('a reconnect to the same run is not a new run; another id or a server behind what is held is', () => {
  const { run } = started();
  run.onHistory(history('train', 0, [1, 2, 3]));
  assert.equal(run.isNewRun(hello('r1', 'training', { status: status('training', 3) })), false);
  assert.equal(run.isNewRun(hello('r2', 'training')), true);
  assert.equal(run.isNewRun(hello('r1', 'training', { status: status('training', 1) })), true);
  assert.equal(createRunState().isNewRun(hello('r1', 'training')), true); // no hello seen yet
});

test('reset forgets what a run accumulated and takes the new run id', () => {
  const { run } = started();
  run.onHistory(history('train', 0, [1, 2], { downsampled: true }));
  run.onSamples({ type: 'samples', iteration: 2, split: 'train', images: [] });
  run.reset('r2');
  assert.equal(run.runId, 'r2');
  assert.equal(run.stores.train.length, 0);
  assert.equal(run.samples, null);
  assert.equal(run.batches, 0);
  assert.deepEqual(run.downsampled, { train: false, validation: false });
  assert.equal(run.status.state, 'unknown');
});

test('other classes drop the rows held; the same classes keep them', () => {
  const { run, built } = started();
  run.onHistory(history('train', 0, [1, 2]));
  run.applyHello(hello('r1', 'training'));
  assert.equal(run.stores.train.length, 2);
  run.applyHello(hello('r1', 'training', { classes: ['x', 'y'] }));
  assert.equal(run.stores.train.length, 0);
  assert.deepEqual(built, [['a', 'b', 'c'], ['x', 'y']]);
});

test('history before a hello takes its classes from the first report', () => {
  const run = createRunState();
  run.onHistory(history('train', 0, [1]));
  assert.deepEqual(run.classes, ['a', 'b', 'c']);
  assert.equal(run.imagesPerIteration(), 2); // from the report's images: no batch size known
});

test('older samples of the same split do not replace newer ones', () => {
  const { run } = started();
  run.onSamples({ iteration: 200, split: 'train', images: [] });
  run.onSamples({ iteration: 100, split: 'train', images: [] });
  assert.equal(run.samples.iteration, 200);
  run.onSamples({ iteration: 100, split: 'validation', images: [] });
  assert.equal(run.samples.split, 'validation');
  run.onSamples({ iteration: 300, split: 'train' }); // no images: not a samples message
  assert.equal(run.samples.iteration, 100);
});

test('a message of another protocol version leaves one warning; alerts do not count as training news', () => {
  const run = createRunState();
  run.note({ type: 'batch', version: 1 });
  assert.equal(run.versionWarning, '');
  run.note({ type: 'batch', version: 2 });
  run.note({ type: 'alert', version: 3 });
  assert.match(run.versionWarning, /version 2; this page expects version 1/);
  assert.equal(run.socketMessages, 2);
});

test('class names come in index order, with a fallback for a missing name', () => {
  assert.deepEqual(classNamesOf(batch(1)), ['a', 'b', 'c']);
  assert.deepEqual(classNamesOf({ classes: [{ index: 1, name: 'y' }, { index: 0 }] }), ['class 0', 'y']);
  assert.equal(runIdOf(hello(7, 'training')), '7');
  assert.equal(runIdOf({ type: 'hello' }), null);
});
