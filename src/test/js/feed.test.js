// Reconnection (web/js/feed.js) and which controls a state allows (web/js/controls.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, backoffDelay, feedUrl } from '../../../web/js/feed.js';
import { enabledActions } from '../../../web/js/controls.js';

test('the backoff doubles from 1 s and stays within 1 s and 10 s whatever the jitter', () => {
  assert.equal(backoffDelay(0, 0.5), 1000);
  assert.equal(backoffDelay(1, 0.5), 2000);
  assert.equal(backoffDelay(2, 0.5), 4000);
  assert.equal(backoffDelay(3, 0), Math.round(8000 * 0.85));
  for (let attempt = 0; attempt < 12; attempt++) {
    for (const r of [0, 0.5, 0.999]) {
      const d = backoffDelay(attempt, r);
      assert.ok(d >= RECONNECT_MIN_MS && d <= RECONNECT_MAX_MS, attempt + '/' + r + ': ' + d);
    }
  }
  assert.equal(backoffDelay(0, 0), RECONNECT_MIN_MS); // 850 ms of jitter is lifted to the minimum
  assert.equal(backoffDelay(10, 0.999), RECONNECT_MAX_MS);
});

test('the URL asks for the gap after what is held, over wss on https', () => {
  const http = { protocol: 'http:', host: '127.0.0.1:8080' };
  assert.equal(feedUrl(http, null, null), 'ws://127.0.0.1:8080/ws');
  assert.equal(feedUrl(http, { train: 9, validation: 5 }, null), 'ws://127.0.0.1:8080/ws?trainAfter=9&validationAfter=5');
  assert.equal(feedUrl(http, { train: 9, validation: null }, null), 'ws://127.0.0.1:8080/ws?trainAfter=9');
  assert.equal(feedUrl({ protocol: 'https:', host: 'x.example' }, { train: 0, validation: null }, 'a b&c'),
    'wss://x.example/ws?trainAfter=0&token=a+b%26c');
});

test('the URL names the run followed first, and none for the server default', () => {
  const http = { protocol: 'http:', host: '127.0.0.1:8080' };
  assert.equal(feedUrl(http, { train: 9, validation: null }, null, 'ext 2'), 'ws://127.0.0.1:8080/ws?run=ext+2&trainAfter=9');
  assert.equal(feedUrl(http, null, null, null), 'ws://127.0.0.1:8080/ws');
});

test('controls: pause while training, resume while paused, stop while a run holds the trainer', () => {
  assert.deepEqual(enabledActions('training'), { pause: true, resume: false, stop: true });
  assert.deepEqual(enabledActions('paused'), { pause: false, resume: true, stop: true });
  assert.deepEqual(enabledActions('starting'), { pause: false, resume: false, stop: true });
  for (const s of ['finished', 'stopped', 'failed', 'unknown']) {
    assert.deepEqual(enabledActions(s), { pause: false, resume: false, stop: false }, s);
  }
});
