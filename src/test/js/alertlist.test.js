// The alerts the page knows (web/js/alertlist.js): transitions, snapshots, replay, order and names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WHOLE_LOSS, activeOrder, alertLabel, createAlertList, evidenceLabel, words } from '../../../web/js/alertlist.js';

function transition(cls, from, to, iteration, over = {}) {
  return {
    type: 'alert', alertname: 'LossPrismClassIouLagging', class: cls, severity: 'warning', split: 'train',
    from, to, iteration, timestamp: 1_700_000_000_000 + iteration, value: 0.7, threshold: 0.3,
    evidence: { lag: 0.7 }, summary: cls + ' lags', ...over,
  };
}

test('pending and firing transitions make an alert active; resolved ends it', () => {
  const list = createAlertList();
  list.transition(transition('speck', 'inactive', 'pending', 5));
  assert.deepEqual(list.active().map((a) => [a.class, a.state, a.sinceIteration]), [['speck', 'pending', 5]]);
  list.transition(transition('speck', 'pending', 'firing', 8));
  assert.deepEqual(list.active().map((a) => [a.class, a.state, a.sinceIteration]), [['speck', 'firing', 8]]);
  list.transition(transition('speck', 'firing', 'resolved', 20));
  assert.deepEqual(list.active(), []);
  assert.deepEqual(list.history().map((t) => t.to), ['resolved', 'firing', 'pending']); // newest first
});

test('a transition received twice is kept once and changes nothing the second time', () => {
  const list = createAlertList();
  assert.equal(list.transition(transition('speck', 'pending', 'firing', 8)), true);
  const v = list.version();
  assert.equal(list.transition(transition('speck', 'pending', 'firing', 8)), false);
  assert.equal(list.version(), v);
  assert.equal(list.history().length, 1);
  assert.equal(list.transition('not an object'), false);
});

test('pending sorts after firing at the same iteration', () => {
  const list = createAlertList();
  list.transition(transition('speck', 'pending', 'firing', 8, { timestamp: 1 }));
  list.transition(transition('speck', 'inactive', 'pending', 8, { timestamp: 1 }));
  assert.deepEqual(list.history().map((t) => t.to), ['firing', 'pending']);
});

test('a snapshot replaces what is known; live transitions after the mark are replayed over it', () => {
  const list = createAlertList();
  list.transition(transition('disc', 'inactive', 'pending', 2));
  const mark = list.liveMark(); // the request for the snapshot leaves now
  list.transition(transition('speck', 'pending', 'firing', 9)); // arrives while it is on its way
  list.load({
    active: [{ alertname: 'LossPrismClassIouLagging', class: 'bar', severity: 'warning', split: 'train', state: 'firing', sinceIteration: 4 }],
    history: [transition('bar', 'pending', 'firing', 4)],
  }, mark);
  assert.deepEqual(list.active().map((a) => a.class).sort(), ['bar', 'speck']); // disc: not in the snapshot
  assert.deepEqual(list.history().map((t) => t.iteration), [9, 4]);
  assert.equal(list.active().find((a) => a.class === 'bar').threshold, 0.3); // from its latest transition
});

test('a snapshot that already holds a replayed transition does not repeat it', () => {
  const list = createAlertList();
  const mark = list.liveMark();
  list.transition(transition('speck', 'pending', 'firing', 9));
  list.load({ active: [], history: [transition('speck', 'pending', 'firing', 9)] }, mark);
  assert.equal(list.history().length, 1);
});

test('the history keeps at most 200 transitions, the newest', () => {
  const list = createAlertList();
  for (let i = 1; i <= 250; i++) list.transition(transition('speck', 'pending', i % 2 ? 'firing' : 'resolved', i));
  const its = list.history().map((t) => t.iteration);
  assert.equal(its.length, 200);
  assert.equal(its[0], 250);
  assert.equal(its[199], 51);
});

test('active alerts: firing before pending, critical before warning, longest-standing first', () => {
  const a = (state, severity, since, cls = 'x') => ({ alertname: 'A', class: cls, split: 'train', state, severity, sinceIteration: since });
  const sorted = [a('pending', 'critical', 1), a('firing', 'warning', 9), a('firing', 'critical', 9), a('firing', 'warning', 3, 'y')]
    .sort(activeOrder).map((x) => [x.state, x.severity, x.sinceIteration]);
  assert.deepEqual(sorted, [['firing', 'critical', 9], ['firing', 'warning', 3], ['firing', 'warning', 9], ['pending', 'critical', 1]]);
});

test('the headline names the most pressing firing alert and how many more fire', () => {
  const list = createAlertList();
  assert.equal(list.headline(), null);
  list.transition(transition('speck', 'inactive', 'pending', 3));
  assert.equal(list.headline(), null); // pending only
  list.transition(transition('speck', 'pending', 'firing', 5));
  list.transition(transition(null, 'pending', 'firing', 6, { alertname: 'LossPrismLossNotFinite', severity: 'critical' }));
  const h = list.headline();
  assert.equal(h.alert.alertname, 'LossPrismLossNotFinite');
  assert.equal(h.text, 'loss not finite (+1 more)');
});

test('alerts per class, the whole loss under its own key', () => {
  const list = createAlertList();
  list.transition(transition('speck', 'pending', 'firing', 5));
  list.transition(transition(null, 'inactive', 'pending', 6, { alertname: 'LossPrismLossNotFinite' }));
  const by = list.byClass();
  assert.deepEqual(by.get('speck'), { firing: ['IoU lagging'], pending: [] });
  assert.deepEqual(by.get(WHOLE_LOSS), { firing: [], pending: ['loss not finite'] });
});

test('reset forgets everything', () => {
  const list = createAlertList();
  list.transition(transition('speck', 'pending', 'firing', 5));
  list.reset();
  assert.deepEqual(list.active(), []);
  assert.deepEqual(list.history(), []);
});

test('names: known alerts by their label, unknown ones in words', () => {
  assert.equal(alertLabel('LossPrismClassIouLagging'), 'IoU lagging');
  assert.equal(alertLabel('LossPrismClassSomethingOdd'), 'something odd');
  assert.equal(alertLabel('LossPrismIouDrop'), 'IoU drop');
  assert.equal(evidenceLabel('othersMeanIou'), "other classes' mean IoU");
  assert.equal(evidenceLabel('meanIouOfHTTPClasses'), 'mean IoU of http classes');
  assert.equal(words('classIou'), 'class IoU');
});
