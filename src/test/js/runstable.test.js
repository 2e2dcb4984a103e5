// The runs view's list (web/js/runstable.js): checked runs, words for loss and network, sorting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletable, lossText, modelText, nextSort, normRunList, sortRuns, worstIou } from '../../../web/js/runstable.js';

function apiRun(id, over = {}) {
  return {
    id, name: '', notes: '', state: 'finished', createdAt: 1000, updatedAt: 2000, iteration: 10, epoch: 1,
    kind: 'dl4j', loss: { function: 'bce' }, model: null,
    latest: { train: { iteration: 10, classes: [{ name: 'a', iou: 0.9, dice: 0.95 }, { name: 'b', iou: 0.2, dice: 0.33 }] }, validation: null },
    alertCount: 0, ...over,
  };
}

test('a run of GET /api/runs in the form the view uses', () => {
  const list = normRunList({ current: 'r2', runs: [apiRun('r1'), null, { name: 'no id' }, apiRun('r2', { state: 'training' })] });
  assert.equal(list.current, 'r2');
  assert.deepEqual(list.runs.map((r) => r.id), ['r1', 'r2']);
  const r = list.runs[0];
  assert.equal(r.loss, 'binary cross-entropy');
  assert.equal(r.trainIou, 0.2);
  assert.equal(r.validation, null);
  assert.equal(r.validationIou, null);
  assert.deepEqual(r.train.classes[1], { name: 'b', iou: 0.2, dice: 0.33 });
});

test('the worst IoU skips undefined classes', () => {
  assert.equal(worstIou({ classes: [{ iou: null }, { iou: 0.5 }, { iou: 0.7 }] }), 0.5);
  assert.equal(worstIou({ classes: [{ iou: null }] }), null);
  assert.equal(worstIou(null), null);
});

test('loss and network in words', () => {
  assert.equal(lossText({ function: 'bce_dice', dice: 'macro' }), 'BCE + Dice (macro)');
  assert.equal(lossText({ function: 'bce', posWeight: [1, 650] }), 'binary cross-entropy, posWeight');
  assert.equal(lossText({ function: 'bce', posWeight: [1, 1], classWeights: [1, 2] }), 'binary cross-entropy, class weights');
  assert.equal(lossText('focal'), 'focal');
  assert.equal(lossText(null), '');
  assert.equal(modelText({ source: 'unet', parameters: 485853 }), 'unet, 485,853 parameters');
  assert.equal(modelText({ source: 'keras', file: 'unet.h5', sha256: null }), 'keras, unet.h5');
  assert.equal(modelText(undefined), '');
});

test('sorting: undefined last both ways, ties newest first', () => {
  const runs = normRunList({
    runs: [
      apiRun('old', { createdAt: 1, iteration: 5, name: 'Zeta' }),
      apiRun('new', { createdAt: 3, iteration: null, name: 'alpha' }),
      apiRun('mid', { createdAt: 2, iteration: 5, name: '' }),
    ],
  }).runs;
  const ids = (key, dir) => sortRuns(runs, key, dir).map((r) => r.id);
  assert.deepEqual(ids('iteration', 'ascending'), ['mid', 'old', 'new']);
  assert.deepEqual(ids('iteration', 'descending'), ['mid', 'old', 'new']);
  assert.deepEqual(ids('createdAt', 'descending'), ['new', 'mid', 'old']);
  assert.deepEqual(ids('name', 'ascending'), ['new', 'mid', 'old']); // alpha, "mid" (its id), Zeta
});

test('a header sorts at its first direction, again reverses', () => {
  assert.deepEqual(nextSort({ key: 'name', direction: 'ascending' }, 'alertCount'), { key: 'alertCount', direction: 'descending' });
  assert.deepEqual(nextSort({ key: 'alertCount', direction: 'descending' }, 'alertCount'), { key: 'alertCount', direction: 'ascending' });
});

test('never delete the run being trained', () => {
  assert.equal(deletable({ id: 'a', state: 'training' }, 'a'), false);
  assert.equal(deletable({ id: 'a', state: 'paused' }, 'a'), false);
  assert.equal(deletable({ id: 'a', state: 'finished' }, 'a'), true);
  assert.equal(deletable({ id: 'b', state: 'stopped' }, 'a'), true);
});
