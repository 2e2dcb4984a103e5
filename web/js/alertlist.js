/*
 * The alerts the page knows, without the DOM: the active ones and the history of transitions (newest
 * first, without duplicates), fed by live `alert` transitions and by snapshots (the `alerts` message on
 * connect, GET /api/alerts). A snapshot replaces what is known; live transitions that arrived while it
 * was on its way are replayed over it. Also the names the page shows for alerts and evidence.
 */

import { isNum, plainObject, str } from './util.js';

export const MAX_ALERT_HISTORY = 200; // transitions kept (the server keeps as many)
const MAX_LIVE_LOG = 500; // live transitions remembered to replay over a snapshot
export const WHOLE_LOSS = ''; // the "class" of alerts about the whole loss (class null)

const ALERT_NAMES = {
  LossPrismClassIouLagging: 'IoU lagging',
  LossPrismClassPositiveLossHigh: 'positive-pixel loss high',
  LossPrismClassDiverging: 'loss diverging',
  LossPrismClassHiddenByAveraging: 'hidden by averaging',
  LossPrismLossNotFinite: 'loss not finite',
};

const EVIDENCE_NAMES = {
  classIou: 'class IoU',
  othersMeanIou: "other classes' mean IoU",
  lag: 'lag',
  classMeanPositiveLoss: 'class mean positive-pixel loss',
  aggregateMeanPositiveLoss: 'all classes mean positive-pixel loss',
  ratio: 'ratio',
  classSlope: 'class loss slope',
  aggregateSlope: 'aggregate loss slope',
  errorShare: 'share of the errors',
  lossShare: 'share of the loss',
};

export const STATE_SYMBOL = { firing: '▲', pending: '◔', resolved: '✓', inactive: '○' };
const TO_RANK = { inactive: 0, resolved: 0, pending: 1, firing: 2 };
const SEVERITY_RANK = { critical: 2, warning: 1 };

/** "LossPrismClassSomethingOdd" → "something odd", for alerts this page does not know by name. */
export function words(camel) {
  return String(camel)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\biou\b/g, 'IoU')
    .trim();
}

export function alertLabel(name) {
  if (Object.prototype.hasOwnProperty.call(ALERT_NAMES, name)) return ALERT_NAMES[name];
  const rest = String(name).replace(/^LossPrism/, '').replace(/^Class(?=[A-Z])/, '');
  return words(rest) || String(name);
}

export function evidenceLabel(key) {
  return Object.prototype.hasOwnProperty.call(EVIDENCE_NAMES, key) ? EVIDENCE_NAMES[key] : words(key);
}

export function classKey(a) {
  return a.class === null ? WHOLE_LOSS : a.class;
}

export function classText(a) {
  return a.class === null ? 'whole loss' : 'class ' + a.class;
}

function stateName(v, fallback) {
  const s = str(v);
  return s === null ? fallback : s.toLowerCase();
}

/** A transition as the page keeps it, or null for something that is not an object. */
export function normTransition(m) {
  if (!plainObject(m)) return null;
  return {
    alertname: str(m.alertname) || 'alert',
    class: str(m.class),
    severity: stateName(m.severity, 'warning'),
    split: str(m.split) || 'train',
    from: stateName(m.from, ''),
    to: stateName(m.to, ''),
    iteration: isNum(m.iteration) ? m.iteration : null,
    timestamp: isNum(m.timestamp) ? m.timestamp : null,
    value: isNum(m.value) ? m.value : null,
    threshold: isNum(m.threshold) ? m.threshold : null,
    evidence: plainObject(m.evidence) || {},
    summary: str(m.summary) || '',
    decomposition: plainObject(m.decomposition),
    seq: 0,
  };
}

function normActive(m) {
  if (!plainObject(m)) return null;
  return {
    alertname: str(m.alertname) || 'alert',
    class: str(m.class),
    severity: stateName(m.severity, 'warning'),
    split: str(m.split) || 'train',
    state: stateName(m.state, 'pending'),
    sinceIteration: isNum(m.sinceIteration) ? m.sinceIteration : null,
    value: isNum(m.value) ? m.value : null,
    threshold: null,
    evidence: plainObject(m.evidence) || {},
    summary: str(m.summary) || '',
  };
}

/** One alert instance: a rule on one class of one split. */
export function instanceKey(a) {
  return JSON.stringify([a.alertname, a.class, a.split]);
}

/** One transition, for de-duplication. */
export function transitionKey(t) {
  return JSON.stringify([t.alertname, t.class, t.split, t.iteration, t.to]);
}

/** Newest first: by iteration, then time, then pending before firing (both may share an iteration). */
export function newestFirst(a, b) {
  const ia = a.iteration === null ? -1 : a.iteration;
  const ib = b.iteration === null ? -1 : b.iteration;
  if (ia !== ib) return ib - ia;
  const ta = a.timestamp || 0;
  const tb = b.timestamp || 0;
  if (ta !== tb) return tb - ta;
  const ra = TO_RANK[a.to] || 0;
  const rb = TO_RANK[b.to] || 0;
  if (ra !== rb) return rb - ra;
  return b.seq - a.seq;
}

/** Firing before pending, critical before warning, then the longest-standing first. */
export function activeOrder(a, b) {
  const fa = a.state === 'firing' ? 1 : 0;
  const fb = b.state === 'firing' ? 1 : 0;
  if (fa !== fb) return fb - fa;
  const sa = SEVERITY_RANK[a.severity] || 0;
  const sb = SEVERITY_RANK[b.severity] || 0;
  if (sa !== sb) return sb - sa;
  const ia = a.sinceIteration === null ? Infinity : a.sinceIteration;
  const ib = b.sinceIteration === null ? Infinity : b.sinceIteration;
  if (ia !== ib) return ia - ib;
  return instanceKey(a) < instanceKey(b) ? -1 : 1;
}

export function createAlertList() {
  let active = new Map(); // instanceKey → active alert
  let history = []; // transitions, newest first
  let seen = new Set(); // transitionKey of every transition in history
  let seq = 0;
  let live = []; // recent live transitions: { seq, t }
  let liveSeq = 0;
  let version = 0; // changes whenever what is known changes

  function addToHistory(t) {
    const key = transitionKey(t);
    if (seen.has(key)) return false;
    seen.add(key);
    t.seq = ++seq;
    history.push(t);
    history.sort(newestFirst);
    while (history.length > MAX_ALERT_HISTORY) seen.delete(transitionKey(history.pop()));
    return true;
  }

  function applyToActive(t) {
    const key = instanceKey(t);
    if (t.to === 'pending' || t.to === 'firing') {
      active.set(key, {
        alertname: t.alertname,
        class: t.class,
        severity: t.severity,
        split: t.split,
        state: t.to,
        sinceIteration: t.iteration,
        value: t.value,
        threshold: t.threshold,
        evidence: t.evidence,
        summary: t.summary,
      });
    } else {
      active.delete(key);
    }
  }

  /** The newest transition of an alert instance (the one that put it in its current state), or null. */
  function latestTransition(a) {
    const key = instanceKey(a);
    for (const t of history) if (instanceKey(t) === key) return t;
    return null;
  }

  function activeList() {
    return Array.from(active.values()).sort(activeOrder);
  }

  return {
    /** A live `alert` transition; false when it was known already (from a snapshot or an earlier message). */
    transition(msg) {
      const t = normTransition(msg);
      if (!t) return false;
      live.push({ seq: ++liveSeq, t: t });
      if (live.length > MAX_LIVE_LOG) live.shift();
      if (!addToHistory(t)) return false;
      applyToActive(t);
      version++;
      return true;
    },

    /** Where the live log stands: pass it to load() with a snapshot asked for now. */
    liveMark() {
      return liveSeq;
    },

    /**
     * Replaces what is known by a snapshot ({active, history} as GET /api/alerts), then replays the live
     * transitions after liveSince (those the snapshot holds already are recognised and skipped).
     */
    load(data, liveSince) {
      const snapshotHistory = data && Array.isArray(data.history) ? data.history : [];
      const snapshotActive = data && Array.isArray(data.active) ? data.active : [];
      history = [];
      seen = new Set();
      active = new Map();
      for (let i = snapshotHistory.length - 1; i >= 0; i--) { // oldest first, so arrival order follows time
        const t = normTransition(snapshotHistory[i]);
        if (t) addToHistory(t);
      }
      for (const item of snapshotActive) {
        const a = normActive(item);
        if (!a) continue;
        const last = latestTransition(a);
        if (last) a.threshold = last.threshold;
        active.set(instanceKey(a), a);
      }
      for (const e of live) {
        if (e.seq > liveSince && addToHistory(e.t)) applyToActive(e.t);
      }
      version++;
    },

    /** Forgets everything (a new run). */
    reset() {
      active = new Map();
      history = [];
      seen = new Set();
      live = [];
      version++;
    },

    /** Active alerts, firing first (see activeOrder). */
    active: activeList,

    /** Transitions, newest first. */
    history() {
      return history.slice();
    },

    latestTransition: latestTransition,

    /** Firing and pending alert names per class (WHOLE_LOSS for the whole loss). */
    byClass() {
      const out = new Map();
      for (const a of active.values()) {
        const cls = classKey(a);
        if (!out.has(cls)) out.set(cls, { firing: [], pending: [] });
        out.get(cls)[a.state === 'firing' ? 'firing' : 'pending'].push(alertLabel(a.alertname));
      }
      return out;
    },

    /** The most pressing firing alert and a headline text for it, or null. */
    headline() {
      const firing = activeList().filter((a) => a.state === 'firing');
      if (!firing.length) return null;
      const a = firing[0];
      const what = a.class === null ? alertLabel(a.alertname) : 'class ' + a.class + ' ' + alertLabel(a.alertname);
      return { alert: a, text: what + (firing.length > 1 ? ' (+' + (firing.length - 1) + ' more)' : '') };
    },

    version() {
      return version;
    },
  };
}
