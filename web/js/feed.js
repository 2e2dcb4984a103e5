/*
 * The WebSocket to /ws with automatic reconnection: exponential backoff from 1 s to 10 s (with a
 * little jitter, kept inside those bounds), reset once a connection has brought its hello. Every
 * (re)connection passes trainAfter / validationAfter, the last iteration the page holds per split, so
 * the server sends only the gap.
 */

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 10000;

/** The backoff before attempt `attempt` (0-based), in ms, always within [1 s, 10 s]. */
export function backoffDelay(attempt, random) {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * Math.pow(2, attempt));
  const jitter = 0.85 + 0.3 * (random === undefined ? Math.random() : random);
  return Math.round(Math.max(RECONNECT_MIN_MS, Math.min(RECONNECT_MAX_MS, base * jitter)));
}

/**
 * ws(s)://host/ws with the run followed (none: the server's default run), the gap parameters and the
 * read token when the server protects reads.
 */
export function feedUrl(loc, after, readToken, runId) {
  const params = new URLSearchParams();
  if (runId) params.set('run', runId);
  if (after && after.train !== null && after.train !== undefined) params.set('trainAfter', String(after.train));
  if (after && after.validation !== null && after.validation !== undefined) {
    params.set('validationAfter', String(after.validation));
  }
  if (readToken) params.set('token', readToken);
  const query = params.toString();
  return (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/ws' + (query ? '?' + query : '');
}

/**
 * options: onMessage(text), onConnection(state, text, detail) (detail: a countdown, not worth announcing),
 * onOpen(), after() -> {train, validation},
 * readToken() -> string or null, runId: the run followed (null: the server's default).
 */
export function createFeed(options) {
  let socket = null;
  let attempts = 0;
  let reconnectTimer = null;
  let countdownTimer = null;
  let lastUrlHadGap = false;

  function setState(state, text) {
    options.onConnection(state, text, '');
  }

  function clearTimers() {
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    if (countdownTimer !== null) clearInterval(countdownTimer);
    reconnectTimer = null;
    countdownTimer = null;
  }

  function connect(fresh) {
    clearTimers();
    const after = fresh ? null : options.after();
    lastUrlHadGap = !!after && (after.train !== null || after.validation !== null);
    setState('connecting', lastUrlHadGap ? 'reconnecting…' : 'connecting…');
    let ws;
    try {
      ws = new WebSocket(feedUrl(window.location, after, options.readToken(), options.runId || null));
    } catch {
      scheduleReconnect(); // a malformed URL or a blocked port: retry as after a close
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      setState('open', 'live');
      options.onOpen();
    });
    ws.addEventListener('message', (ev) => {
      if (socket !== ws || typeof ev.data !== 'string') return;
      options.onMessage(ev.data);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      scheduleReconnect();
    });
    ws.addEventListener('error', () => { /* a close event follows */ });
  }

  function scheduleReconnect() {
    if (reconnectTimer !== null) return;
    const delay = backoffDelay(attempts);
    attempts++;
    const at = performance.now() + delay;
    const show = () => {
      const seconds = Math.max(1, Math.ceil((at - performance.now()) / 1000));
      options.onConnection('closed', 'disconnected — retrying', ' in ' + seconds + ' s');
    };
    show();
    countdownTimer = setInterval(show, 1000);
    reconnectTimer = setTimeout(() => connect(false), delay);
  }

  return {
    start() {
      connect(false);
    },

    /** The server answered (hello): the connection works, start the backoff over next time. */
    confirmed() {
      attempts = 0;
    },

    /** Whether the current connection asked for a gap only. */
    askedForGap() {
      return lastUrlHadGap;
    },

    /** Drops the connection and opens a new one asking for the whole history. */
    restartFresh() {
      const old = socket;
      socket = null;
      if (old) old.close();
      connect(true);
    },

    /** Reconnect at once if waiting (the tab came back, the network returned). */
    nudge() {
      if (socket === null && reconnectTimer !== null) connect(false);
    },

    /** Closes the connection as a network failure would (the test hook uses it); reconnection follows. */
    drop() {
      if (socket) socket.close();
    },

    isOpen() {
      return socket !== null && socket.readyState === WebSocket.OPEN;
    },

    send(obj) {
      if (!this.isOpen()) return false;
      socket.send(JSON.stringify(obj));
      return true;
    },
  };
}
