/*
 * Alerts: the active ones and the history of transitions, each with its evidence and the
 * decomposition at that moment. Hovering, focusing or clicking an alert points at its class: the
 * class's table row is outlined and its chart series stand out (the others are dimmed). State is
 * always spelled out in text (▲ firing, ◔ pending), never shown by colour alone.
 *
 * Fed by `alert` transitions, by `alerts` snapshots (sent on connect) and by GET /api/alerts.
 */

import { DASH, fixed, fmt, isNum, node, percent, plainObject, str } from './util.js';

let el = null;
let hooks = null;

const MAX_ALERT_HISTORY = 200; // transitions kept (the server keeps as many)
const SHOWN_ALERT_HISTORY = 50; // transitions shown
const MAX_LIVE_LOG = 500; // live transitions remembered to replay over a snapshot from /api/alerts
const WHOLE_LOSS = ''; // the "class" of alerts about the whole loss (class null)

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

const STATE_SYMBOL = { firing: '▲', pending: '◔', resolved: '✓', inactive: '○' };
const TO_RANK = { inactive: 0, resolved: 0, pending: 1, firing: 2 };

/** "LossPrismClassSomethingOdd" → "something odd", for alerts this page does not know by name. */
function words(camel) {
  return String(camel)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\biou\b/g, 'IoU')
    .trim();
}

function alertLabel(name) {
  if (Object.prototype.hasOwnProperty.call(ALERT_NAMES, name)) return ALERT_NAMES[name];
  const rest = String(name).replace(/^LossPrism/, '').replace(/^Class(?=[A-Z])/, '');
  return words(rest) || String(name);
}

function evidenceLabel(key) {
  return Object.prototype.hasOwnProperty.call(EVIDENCE_NAMES, key) ? EVIDENCE_NAMES[key] : words(key);
}

function classKey(a) {
  return a.class === null ? WHOLE_LOSS : a.class;
}

function classText(a) {
  return a.class === null ? 'whole loss' : 'class ' + a.class;
}



function stateName(v, fallback) {
  const s = str(v);
  return s === null ? fallback : s.toLowerCase();
}

function normTransition(m) {
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
function instanceKey(a) {
  return JSON.stringify([a.alertname, a.class, a.split]);
}

/** One transition, for de-duplication. */
function transitionKey(t) {
  return JSON.stringify([t.alertname, t.class, t.split, t.iteration, t.to]);
}

/** Newest first: by iteration, then time, then pending before firing (both may share an iteration). */
function newestFirst(a, b) {
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

const SEVERITY_RANK = { critical: 2, warning: 1 };

/** Firing before pending, critical before warning, then the longest-standing first. */
function activeOrder(a, b) {
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

const alerts = {
  active: new Map(), // instanceKey → active alert
  history: [], // transitions, newest first
  seen: new Set(), // transitionKey of every transition in history
  seq: 0,
  live: [], // recent live transitions: { seq, t }
  liveSeq: 0,
  fetchGen: 0,
  error: '',
  dirty: true,
  open: new Set(), // items whose details are shown
  detailIds: new Map(), // item → id of its details element, stable across rebuilds
  hover: null, // class (or WHOLE_LOSS) of the alert under the pointer or focus
  pinned: null, // class (or WHOLE_LOSS) picked by a click
};

function addToHistory(t) {
  const key = transitionKey(t);
  if (alerts.seen.has(key)) return false;
  alerts.seen.add(key);
  t.seq = ++alerts.seq;
  alerts.history.push(t);
  alerts.history.sort(newestFirst);
  while (alerts.history.length > MAX_ALERT_HISTORY) alerts.seen.delete(transitionKey(alerts.history.pop()));
  return true;
}

function applyToActive(t) {
  const key = instanceKey(t);
  if (t.to === 'pending' || t.to === 'firing') {
    alerts.active.set(key, {
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
    alerts.active.delete(key);
  }
}

function onAlert(msg) {
  const t = normTransition(msg);
  if (!t) return;
  alerts.live.push({ seq: ++alerts.liveSeq, t: t });
  if (alerts.live.length > MAX_LIVE_LOG) alerts.live.shift();
  if (!addToHistory(t)) return; // seen already, from /api/alerts or an earlier message
  applyToActive(t);
  alerts.dirty = true;
}

/**
 * Replaces what the page knows by the server's snapshot, then replays the live transitions that
 * arrived while it was on its way (the ones the snapshot already holds are recognised and skipped).
 */
function loadAlerts(data, liveSince) {
  const history = data && Array.isArray(data.history) ? data.history : [];
  const active = data && Array.isArray(data.active) ? data.active : [];
  alerts.history = [];
  alerts.seen = new Set();
  alerts.active = new Map();
  for (let i = history.length - 1; i >= 0; i--) { // oldest first, so arrival order follows time
    const t = normTransition(history[i]);
    if (t) addToHistory(t);
  }
  for (const item of active) {
    const a = normActive(item);
    if (!a) continue;
    const last = latestTransition(a);
    if (last) a.threshold = last.threshold;
    alerts.active.set(instanceKey(a), a);
  }
  for (const e of alerts.live) {
    if (e.seq > liveSince && addToHistory(e.t)) applyToActive(e.t);
  }
  alerts.error = '';
  alerts.dirty = true;
}

function fetchAlerts() {
  const gen = ++alerts.fetchGen;
  const liveSince = alerts.liveSeq;
  fetch('/api/alerts', { cache: 'no-store', headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
    .then((data) => {
      if (gen !== alerts.fetchGen) return; // a newer request is on its way
      loadAlerts(data, liveSince);
      hooks.changed();
    })
    .catch((e) => {
      if (gen !== alerts.fetchGen) return;
      alerts.error = 'Could not load the alerts (' + (e && e.message ? e.message : 'network error')
        + '); showing the changes received live only.';
      alerts.dirty = true;
      hooks.changed();
    });
}

/** The newest transition of an alert instance (the one that put it in its current state), or null. */
function latestTransition(a) {
  const key = instanceKey(a);
  for (const t of alerts.history) if (instanceKey(t) === key) return t;
  return null;
}

function activeList() {
  return Array.from(alerts.active.values()).sort(activeOrder);
}

function firingList() {
  return activeList().filter((a) => a.state === 'firing');
}

// ---- building blocks


function stateTag(state) {
  const s = node('span', 'alert-state', (STATE_SYMBOL[state] || '•') + ' ' + state);
  s.dataset.state = state;
  return s;
}

function severityTag(severity) {
  const s = node('span', 'alert-severity', severity);
  s.dataset.severity = severity;
  return s;
}

function evidenceList(evidence, extra) {
  const dl = node('dl', 'alert-evidence');
  const add = (label, value) => {
    const d = node('div');
    d.append(node('dt', null, label), node('dd', null, value));
    dl.append(d);
  };
  for (const key of Object.keys(evidence)) add(evidenceLabel(key), fmt(evidence[key], 3));
  if (extra) for (const [label, value] of extra) add(label, value);
  return dl;
}

function decompositionTable(dec, alertClass) {
  const classes = Array.isArray(dec.classes) ? dec.classes.filter(plainObject).slice() : [];
  classes.sort((a, b) => (isNum(a.index) ? a.index : 0) - (isNum(b.index) ? b.index : 0));
  const table = node('table', 'decomp');
  const where = [];
  if (isNum(dec.iteration)) where.push('iteration ' + dec.iteration);
  if (dec.split != null) where.push(String(dec.split));
  table.append(node('caption', null, 'Decomposition' + (where.length ? ' at ' + where.join(', ') : '')));
  const head = node('thead');
  const hr = node('tr');
  for (const label of ['class', 'loss term', 'share', 'IoU']) {
    const th = node('th', null, label);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = node('tbody');
  for (const c of classes) {
    const tr = node('tr');
    const name = c.name == null ? '' : String(c.name);
    const th = node('th', null, name);
    th.scope = 'row';
    if (alertClass !== null && name === alertClass) {
      tr.className = 'is-alert-class';
      const mark = node('span', 'decomp-mark', ' ◀');
      mark.title = 'the class of this alert';
      th.append(mark, node('span', 'visually-hidden', ' (the class of this alert)'));
    }
    const share = isNum(c.loss) && isNum(dec.loss) && dec.loss !== 0 ? c.loss / dec.loss : null;
    tr.append(th, node('td', null, fmt(c.loss, 4)), node('td', null, percent(share)), node('td', null, fixed(c.iou, 3)));
    body.append(tr);
  }
  const foot = node('tfoot');
  const fr = node('tr');
  const fth = node('th', null, 'all classes');
  fth.scope = 'row';
  fr.append(fth, node('td', null, fmt(dec.loss, 4)), node('td', null, isNum(dec.loss) ? '100%' : DASH), node('td', null, ''));
  foot.append(fr);
  table.append(head, body, foot);
  const wrap = node('div', 'decomp-wrap');
  wrap.append(table);
  return wrap;
}

function detailsId(itemKey) {
  let id = alerts.detailIds.get(itemKey);
  if (!id) {
    id = 'alert-details-' + (alerts.detailIds.size + 1);
    alerts.detailIds.set(itemKey, id);
  }
  return id;
}

/** A "details" toggle and its (initially hidden, unless open before) panel, filled on demand. */
function detailsToggle(itemKey, fill) {
  const button = node('button', 'alert-details-toggle', 'details');
  button.type = 'button';
  const panel = node('div', 'alert-details');
  panel.id = detailsId(itemKey);
  button.setAttribute('aria-controls', panel.id);
  button.dataset.focusId = itemKey + ':details';
  const set = (open) => {
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'hide details' : 'details';
    panel.hidden = !open;
    if (open && !panel.firstChild) fill(panel);
  };
  set(alerts.open.has(itemKey));
  button.addEventListener('click', (ev) => {
    ev.stopPropagation();
    const open = !alerts.open.has(itemKey);
    if (open) alerts.open.add(itemKey);
    else alerts.open.delete(itemKey);
    set(open);
  });
  return { button: button, panel: panel };
}

function fillDetails(panel, item, transition) {
  const extra = [];
  if (isNum(item.value)) extra.push(['value', fmt(item.value, 3)]);
  const threshold = transition ? transition.threshold : item.threshold;
  if (isNum(threshold)) extra.push(['threshold', fmt(threshold, 3)]);
  panel.append(node('h4', null, 'Evidence'), evidenceList(item.evidence, extra));
  const dec = transition && transition.decomposition;
  if (dec) {
    panel.append(decompositionTable(dec, item.class));
  } else {
    panel.append(node('p', 'muted', 'No decomposition snapshot for this alert (its transition is no longer in the history).'));
  }
}

/** Hover, focus and click on an alert point at its class's row. */
function linkToClass(li, cls) {
  li.addEventListener('mouseenter', () => setAlertHover(cls));
  li.addEventListener('mouseleave', () => setAlertHover(null));
  li.addEventListener('focusin', () => setAlertHover(cls));
  li.addEventListener('focusout', (ev) => {
    if (!li.contains(ev.relatedTarget)) setAlertHover(null);
  });
  li.addEventListener('click', (ev) => {
    const t = ev.target;
    if (t instanceof Element && (t.closest('.alert-details') || t.closest('button'))) return;
    if (window.getSelection && String(window.getSelection()).length > 0) return; // selecting text
    togglePin(cls);
  });
}

/** A button that points at an alert's class in the table and the charts: keyboard users can use it too. */
function pinButton(item, cssClass, label, focusId) {
  const cls = classKey(item);
  const b = node('button', cssClass, label);
  b.type = 'button';
  b.dataset.focusId = focusId;
  b.title = 'Highlight ' + classText(item) + ' in the table and the charts';
  b.setAttribute('aria-pressed', String(alerts.pinned === cls));
  b.addEventListener('click', (ev) => {
    ev.stopPropagation();
    togglePin(cls);
  });
  return b;
}

function classButton(a) {
  return pinButton(a, 'alert-class', classText(a), 'class:' + instanceKey(a));
}

/** The class of a past transition. */
function historyClassButton(t) {
  return pinButton(t, 'history-class', t.class === null ? 'whole loss' : t.class, 'history-class:' + transitionKey(t));
}

function activeItem(a) {
  const li = node('li', 'alert-item');
  li.dataset.alertname = a.alertname;
  li.dataset.class = a.class === null ? '' : a.class;
  li.dataset.state = a.state;
  li.dataset.severity = a.severity;
  li.dataset.split = a.split;
  const head = node('div', 'alert-head');
  const since = a.sinceIteration === null ? '' : ' · since iteration ' + a.sinceIteration;
  head.append(stateTag(a.state), severityTag(a.severity), node('strong', 'alert-name', alertLabel(a.alertname)),
    classButton(a), node('span', 'alert-meta', a.split + since));
  li.append(head);
  if (a.summary) li.append(node('p', 'alert-summary', a.summary));
  li.append(evidenceList(a.evidence));
  const key = 'active:' + instanceKey(a);
  const d = detailsToggle(key, (panel) => fillDetails(panel, a, latestTransition(a)));
  li.append(d.button, d.panel);
  li.title = a.alertname;
  linkToClass(li, classKey(a));
  return li;
}

function historyItem(t) {
  const li = node('li', 'history-item');
  li.dataset.alertname = t.alertname;
  li.dataset.class = t.class === null ? '' : t.class;
  li.dataset.split = t.split;
  li.dataset.from = t.from;
  li.dataset.to = t.to;
  if (t.iteration !== null) li.dataset.iteration = String(t.iteration);
  const row = node('div', 'history-row');
  const change = node('span', 'history-change');
  const from = node('span', 'history-state', t.from || '?');
  from.dataset.state = t.from;
  const to = node('span', 'history-state', (STATE_SYMBOL[t.to] || '') + ' ' + (t.to || '?'));
  to.dataset.state = t.to;
  change.append(from, node('span', 'arrow', ' → '), to);
  change.setAttribute('aria-label', 'from ' + (t.from || 'unknown') + ' to ' + (t.to || 'unknown'));
  row.append(
    node('span', 'history-iteration', t.iteration === null ? DASH : 'it. ' + t.iteration),
    historyClassButton(t),
    node('span', 'history-alert', alertLabel(t.alertname) + (t.split !== 'train' ? ' (' + t.split + ')' : '')),
    change);
  const key = 'history:' + transitionKey(t);
  const d = detailsToggle(key, (panel) => {
    if (t.summary) panel.append(node('p', 'alert-summary', t.summary));
    fillDetails(panel, t, t);
  });
  row.append(d.button);
  li.append(row, d.panel);
  if (t.timestamp !== null) li.title = t.alertname + ' · ' + new Date(t.timestamp).toLocaleString();
  linkToClass(li, classKey(t));
  return li;
}

// ---- rendering

function renderAlerts() {
  if (!alerts.dirty) return;
  alerts.dirty = false;

  // rebuilding must not lose the keyboard focus
  const focused = document.activeElement;
  const focusId = focused && el.alerts.contains(focused) && focused.dataset ? focused.dataset.focusId : undefined;

  const active = activeList();
  const firing = active.filter((a) => a.state === 'firing').length;
  el.alertsActive.replaceChildren(...active.map(activeItem));
  el.alertsEmpty.hidden = active.length > 0;
  el.alerts.dataset.active = String(active.length);
  el.alerts.dataset.firing = String(firing);
  el.alertsCount.textContent = active.length
    ? '(' + firing + ' firing, ' + (active.length - firing) + ' pending)'
    : '';

  const shown = alerts.history.slice(0, SHOWN_ALERT_HISTORY);
  el.alertsHistory.replaceChildren(...shown.map(historyItem));
  el.alertsHistoryEmpty.hidden = shown.length > 0;

  el.alertsError.textContent = alerts.error;
  el.alertsError.hidden = !alerts.error;

  // forget the open state of items that are gone
  const present = new Set();
  for (const a of active) present.add('active:' + instanceKey(a));
  for (const t of shown) present.add('history:' + transitionKey(t));
  for (const k of Array.from(alerts.open)) if (!present.has(k)) alerts.open.delete(k);

  // the items under the pointer were replaced (their mouseleave never comes); a pin with no
  // alert left to unpin it from is dropped
  alerts.hover = null;
  if (alerts.pinned !== null && !active.some((a) => classKey(a) === alerts.pinned)
    && !shown.some((t) => classKey(t) === alerts.pinned)) alerts.pinned = null;

  if (focusId) {
    for (const b of el.alerts.querySelectorAll('button')) {
      if (b.dataset.focusId === focusId) {
        b.focus({ preventScroll: true });
        break;
      }
    }
  }
}

/** Marks the rows of classes with a firing (or pending) alert, and the one an alert points at. */
function renderRowAlerts() {
  const byClass = new Map();
  for (const a of alerts.active.values()) {
    const cls = classKey(a);
    const prev = byClass.get(cls);
    if (!prev) byClass.set(cls, { firing: [], pending: [] });
    byClass.get(cls)[a.state === 'firing' ? 'firing' : 'pending'].push(alertLabel(a.alertname));
  }
  const target = alerts.hover !== null ? alerts.hover : alerts.pinned;
  const rows = hooks.rows().map((r) => ({ tr: r.tr, slot: r.tr.querySelector('.alert-slot'), cls: r.tr.dataset.class }));
  if (el.totalRow) rows.push({ tr: el.totalRow, slot: el.totalRow.querySelector('.alert-slot'), cls: WHOLE_LOSS });
  for (const r of rows) {
    const info = byClass.get(r.cls);
    const state = info ? (info.firing.length ? 'firing' : 'pending') : null;
    r.tr.classList.toggle('alerted', state === 'firing');
    r.tr.classList.toggle('alert-pending', state === 'pending');
    r.tr.classList.toggle('alert-focus', target !== null && target === r.cls);
    if (!r.slot) continue;
    let badge = r.slot.querySelector('.alert-badge');
    if (!state) {
      if (badge) badge.remove();
      continue;
    }
    if (!badge) {
      badge = node('span', 'alert-badge');
      r.slot.append(badge);
    }
    const names = info.firing.concat(info.pending);
    const text = (STATE_SYMBOL[state] || '') + ' ' + (state === 'firing' ? 'alert' : 'pending');
    if (badge.textContent !== text) badge.textContent = text;
    badge.dataset.state = state;
    badge.title = (state === 'firing' ? 'Firing: ' : 'Pending: ') + names.join(', ');
  }
}

function setAlertHover(cls) {
  if (alerts.hover === cls) return;
  alerts.hover = cls;
  renderRowAlerts();
  hooks.highlightChanged();
}

function togglePin(cls) {
  alerts.pinned = alerts.pinned === cls ? null : cls;
  for (const b of el.alerts.querySelectorAll('button.alert-class, button.history-class')) {
    const li = b.closest('li');
    const itemCls = li && li.dataset.class !== undefined ? li.dataset.class : null;
    b.setAttribute('aria-pressed', String(alerts.pinned !== null && alerts.pinned === itemCls));
  }
  renderRowAlerts();
  hooks.highlightChanged();
  if (alerts.pinned === null) return;
  const row = alerts.pinned === WHOLE_LOSS
    ? el.totalRow
    : (hooks.rows().find((r) => r.tr.dataset.class === alerts.pinned) || {}).tr;
  if (row && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** Headline text for the most pressing firing alert, or null. */
function headlineAlert() {
  const firing = firingList();
  if (!firing.length) return null;
  const a = firing[0];
  const what = a.class === null ? alertLabel(a.alertname) : 'class ' + a.class + ' ' + alertLabel(a.alertname);
  return { alert: a, text: what + (firing.length > 1 ? ' (+' + (firing.length - 1) + ' more)' : '') };
}

/**
 * els: {alerts, alertsCount, alertsActive, alertsEmpty, alertsHistory, alertsHistoryEmpty, alertsError,
 * totalRow}; hook functions: rows() (table rows), changed() (redraw), highlightChanged().
 */
export function initAlerts(elements, hookFunctions) {
  el = elements;
  hooks = hookFunctions;
}

/** Forgets everything (a new run). */
export function resetAlerts() {
  alerts.active = new Map();
  alerts.history = [];
  alerts.seen = new Set();
  alerts.live = [];
  alerts.error = '';
  alerts.hover = null;
  alerts.pinned = null;
  alerts.fetchGen++;
  alerts.dirty = true;
}

/** A snapshot from the feed (`alerts` message): authoritative, so a slower HTTP answer is dropped. */
export function applyAlertsSnapshot(msg) {
  alerts.fetchGen++;
  loadAlerts(msg, alerts.liveSeq);
}

/** The class an alert points at now (hover before pin), or null; '' is the whole loss. */
export function alertTargetClass() {
  return alerts.hover !== null ? alerts.hover : alerts.pinned;
}

export { onAlert, fetchAlerts, renderAlerts, renderRowAlerts, headlineAlert, togglePin, WHOLE_LOSS };
