/*
 * Run controls: Pause, Resume and Stop send {"type":"control","action","token","requestId"} over the
 * WebSocket; the server's `control-result` (or its silence) shows in a status line. The control token
 * lives in sessionStorage only (gone when the tab closes); a link may carry it as #token=... which is
 * read once and then removed from the address bar. Stop asks for a second press within a few seconds.
 */

import { setText } from './util.js';

const TOKEN_KEY = 'lossprism.controlToken';
const ANSWER_TIMEOUT_MS = 10000;
const STOP_CONFIRM_MS = 5000;
const ACTION_WORDS = {
  pause: { doing: 'Pausing', done: 'Paused', name: 'Pause' },
  resume: { doing: 'Resuming', done: 'Resumed', name: 'Resume' },
  stop: { doing: 'Stopping', done: 'Stopped', name: 'Stop' },
};

/** Which actions make sense in a state. */
export function enabledActions(state) {
  switch (state) {
    case 'training': return { pause: true, resume: false, stop: true };
    case 'paused': return { pause: false, resume: true, stop: true };
    case 'starting': return { pause: false, resume: false, stop: true };
    default: return { pause: false, resume: false, stop: false };
  }
}

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

/** The control token this tab keeps (sessionStorage), or ''. */
export function readStoredToken() {
  const s = storage();
  return s ? s.getItem(TOKEN_KEY) || '' : '';
}

export function storeToken(token) {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(TOKEN_KEY, token);
  else s.removeItem(TOKEN_KEY);
}

/** Takes #token=... (alone or among other fragment parameters) out of the address bar; returns it or null. */
export function takeTokenFromFragment() {
  const hash = window.location.hash;
  if (!hash || hash.length < 2) return null;
  const params = new URLSearchParams(hash.slice(1));
  if (!params.has('token')) return null;
  const token = params.get('token') || '';
  params.delete('token');
  const rest = params.toString();
  const url = window.location.pathname + window.location.search + (rest ? '#' + rest : '');
  window.history.replaceState(window.history.state, '', url);
  return token;
}

/**
 * els: {root, token, pause, resume, stop, status}; send(obj) -> bool (false when not connected);
 * onSent(obj) records what was sent (for the test hook).
 */
export function createControls(els, send) {
  let seq = 0;
  const pending = new Map(); // requestId -> {action, timer}
  let stopArmedUntil = 0;
  let stopTimer = null;
  let last = { state: 'unknown', connected: false };

  const fromFragment = takeTokenFromFragment();
  if (fromFragment !== null) storeToken(fromFragment);
  els.token.value = readStoredToken();
  els.token.addEventListener('input', () => storeToken(els.token.value));

  function say(text, kind) {
    setText(els.status, text);
    els.status.dataset.kind = kind;
  }

  function disarmStop() {
    stopArmedUntil = 0;
    if (stopTimer !== null) clearTimeout(stopTimer);
    stopTimer = null;
    setText(els.stop, 'Stop');
    els.stop.removeAttribute('aria-describedby');
  }

  function request(action) {
    const requestId = 'r' + (++seq) + '-' + Date.now().toString(36);
    const message = { type: 'control', action: action, token: els.token.value, requestId: requestId };
    if (!send(message)) {
      say(ACTION_WORDS[action].name + ' not sent: not connected to the server.', 'error');
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(requestId);
      say(ACTION_WORDS[action].name + ': no answer from the server within ' + ANSWER_TIMEOUT_MS / 1000 + ' s.', 'error');
      render(last.state, last.connected);
    }, ANSWER_TIMEOUT_MS);
    pending.set(requestId, { action: action, timer: timer });
    say(ACTION_WORDS[action].doing + '… (request ' + requestId + ')', 'pending');
    render(last.state, last.connected);
  }

  function onStop() {
    if (performance.now() < stopArmedUntil) {
      disarmStop();
      request('stop');
      return;
    }
    stopArmedUntil = performance.now() + STOP_CONFIRM_MS;
    setText(els.stop, 'Confirm stop');
    say('Stop ends the training run for good. Press “Confirm stop” within 5 s to stop it.', 'pending');
    stopTimer = setTimeout(() => {
      disarmStop();
      say('Stop cancelled.', 'info');
    }, STOP_CONFIRM_MS);
  }

  els.pause.addEventListener('click', () => request('pause'));
  els.resume.addEventListener('click', () => request('resume'));
  els.stop.addEventListener('click', onStop);

  function render(state, connected) {
    last = { state: state, connected: connected };
    const allowed = enabledActions(state);
    const busy = pending.size > 0;
    els.pause.disabled = !connected || busy || !allowed.pause;
    els.resume.disabled = !connected || busy || !allowed.resume;
    els.stop.disabled = !connected || busy || !allowed.stop;
    if (els.stop.disabled && stopArmedUntil) disarmStop();
    els.root.dataset.state = state;
  }

  return {
    render: render,

    /** A `control-result` from the server. */
    onResult(msg) {
      const id = typeof msg.requestId === 'string' ? msg.requestId : null;
      const p = id !== null ? pending.get(id) : null;
      if (p) {
        clearTimeout(p.timer);
        pending.delete(id);
      }
      const action = typeof msg.action === 'string' ? msg.action : (p ? p.action : 'control');
      const words = ACTION_WORDS[action] || { done: action, name: action };
      if (msg.ok === true) {
        say(words.done + ': accepted by the server.', 'ok');
      } else {
        const error = typeof msg.error === 'string' && msg.error ? msg.error : 'refused';
        say(words.name + ' refused: ' + error, 'error');
      }
      els.status.dataset.ok = String(msg.ok === true);
      els.status.dataset.requestId = id || '';
      render(last.state, last.connected);
    },

    /** A new run or a new connection: answers to old requests will not come. */
    reset() {
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      disarmStop();
    },
  };
}
