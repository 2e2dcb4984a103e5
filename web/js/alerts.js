/*
 * Alerts: the active ones and the history of transitions, each with its evidence and the
 * decomposition at that moment. Hovering, focusing or clicking an alert points at its class: the
 * class's table row is outlined and its chart series stand out (the others are dimmed). State is
 * always spelled out in text (▲ firing, ◔ pending), never shown by colour alone.
 *
 * Fed by `alert` transitions, by `alerts` snapshots (sent on connect) and by GET /api/alerts; what is
 * known lives in an alert list (alertlist.js), this module draws it.
 */

import { DASH, fixed, fmt, isNum, node, percent, plainObject } from './util.js';
import {
  STATE_SYMBOL, WHOLE_LOSS, alertLabel, classKey, classText, createAlertList, evidenceLabel, instanceKey, transitionKey,
} from './alertlist.js';

const SHOWN_ALERT_HISTORY = 50; // transitions shown

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

/** "try a remedy" for a firing alert about one class: the new-run form, prefilled for that class. */
function remedyButton(cls, remedy) {
  const b = node('button', 'alert-remedy', 'try a remedy');
  b.type = 'button';
  b.title = 'Start a run with a loss remedy for class ' + cls + ', then compare it with this run';
  b.addEventListener('click', (ev) => {
    ev.stopPropagation();
    remedy(cls);
  });
  return b;
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

/**
 * els: {alerts, alertsCount, alertsActive, alertsEmpty, alertsHistory, alertsHistoryEmpty, alertsError,
 * totalRow}; hooks: rows() (the table's rows), changed() (redraw), highlightChanged(), remedy(className)
 * (optional: offers "try a remedy" on firing class alerts).
 */
export function createAlerts(els, hooks) {
  const list = createAlertList();
  let fetchGen = 0; // a newer request or snapshot makes an older answer stale
  let error = '';
  let drawn = -1; // the list version drawn
  let drawnError = '';
  const openItems = new Set(); // items whose details are shown
  const detailIds = new Map(); // item → id of its details element, stable across rebuilds
  let hover = null; // class (or WHOLE_LOSS) of the alert under the pointer or focus
  let pinned = null; // class (or WHOLE_LOSS) picked by a click

  function detailsId(itemKey) {
    let id = detailIds.get(itemKey);
    if (!id) {
      id = 'alert-details-' + (detailIds.size + 1);
      detailIds.set(itemKey, id);
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
    set(openItems.has(itemKey));
    button.addEventListener('click', (ev) => {
      ev.stopPropagation();
      const open = !openItems.has(itemKey);
      if (open) openItems.add(itemKey);
      else openItems.delete(itemKey);
      set(open);
    });
    return { button: button, panel: panel };
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
    b.setAttribute('aria-pressed', String(pinned === cls));
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
    const d = detailsToggle(key, (panel) => fillDetails(panel, a, list.latestTransition(a)));
    li.append(d.button);
    if (hooks.remedy && a.class !== null && a.state === 'firing') li.append(remedyButton(a.class, hooks.remedy));
    li.append(d.panel);
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
      if (hooks.remedy && t.class !== null && t.to === 'firing') panel.append(remedyButton(t.class, hooks.remedy));
    });
    row.append(d.button);
    li.append(row, d.panel);
    if (t.timestamp !== null) li.title = t.alertname + ' · ' + new Date(t.timestamp).toLocaleString();
    linkToClass(li, classKey(t));
    return li;
  }

  // ---- rendering

  function renderAlerts() {
    if (drawn === list.version() && drawnError === error) return;
    drawn = list.version();
    drawnError = error;

    // rebuilding must not lose the keyboard focus
    const focused = document.activeElement;
    const focusId = focused && els.alerts.contains(focused) && focused.dataset ? focused.dataset.focusId : undefined;

    const active = list.active();
    const firing = active.filter((a) => a.state === 'firing').length;
    els.alertsActive.replaceChildren(...active.map(activeItem));
    els.alertsEmpty.hidden = active.length > 0;
    els.alerts.dataset.active = String(active.length);
    els.alerts.dataset.firing = String(firing);
    els.alertsCount.textContent = active.length
      ? '(' + firing + ' firing, ' + (active.length - firing) + ' pending)'
      : '';

    const shown = list.history().slice(0, SHOWN_ALERT_HISTORY);
    els.alertsHistory.replaceChildren(...shown.map(historyItem));
    els.alertsHistoryEmpty.hidden = shown.length > 0;

    els.alertsError.textContent = error;
    els.alertsError.hidden = !error;

    // forget the open state of items that are gone
    const present = new Set();
    for (const a of active) present.add('active:' + instanceKey(a));
    for (const t of shown) present.add('history:' + transitionKey(t));
    for (const k of Array.from(openItems)) if (!present.has(k)) openItems.delete(k);

    // the items under the pointer were replaced (their mouseleave never comes); a pin with no
    // alert left to unpin it from is dropped
    hover = null;
    if (pinned !== null && !active.some((a) => classKey(a) === pinned)
      && !shown.some((t) => classKey(t) === pinned)) pinned = null;

    if (focusId) {
      for (const b of els.alerts.querySelectorAll('button')) {
        if (b.dataset.focusId === focusId) {
          b.focus({ preventScroll: true });
          break;
        }
      }
    }
  }

  /** Marks the rows of classes with a firing (or pending) alert, and the one an alert points at. */
  function renderRowAlerts() {
    const byClass = list.byClass();
    const target = hover !== null ? hover : pinned;
    const rows = hooks.rows().map((r) => ({ tr: r.tr, slot: r.tr.querySelector('.alert-slot'), cls: r.tr.dataset.class }));
    if (els.totalRow) rows.push({ tr: els.totalRow, slot: els.totalRow.querySelector('.alert-slot'), cls: WHOLE_LOSS });
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
    if (hover === cls) return;
    hover = cls;
    renderRowAlerts();
    hooks.highlightChanged();
  }

  function togglePin(cls) {
    pinned = pinned === cls ? null : cls;
    for (const b of els.alerts.querySelectorAll('button.alert-class, button.history-class')) {
      const li = b.closest('li');
      const itemCls = li && li.dataset.class !== undefined ? li.dataset.class : null;
      b.setAttribute('aria-pressed', String(pinned !== null && pinned === itemCls));
    }
    renderRowAlerts();
    hooks.highlightChanged();
    if (pinned === null) return;
    const row = pinned === WHOLE_LOSS
      ? els.totalRow
      : (hooks.rows().find((r) => r.tr.dataset.class === pinned) || {}).tr;
    if (row && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  /** Asks the server for the alerts (transitions may have been missed while disconnected). */
  function fetchAlerts() {
    const gen = ++fetchGen;
    const liveSince = list.liveMark();
    fetch(hooks.alertsUrl ? hooks.alertsUrl() : '/api/alerts', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((data) => {
        if (gen !== fetchGen) return; // a newer request is on its way
        list.load(data, liveSince);
        error = '';
        hooks.changed();
      })
      .catch((e) => {
        if (gen !== fetchGen) return;
        error = 'Could not load the alerts (' + (e && e.message ? e.message : 'network error')
          + '); showing the changes received live only.';
        hooks.changed();
      });
  }

  return {
    fetch: fetchAlerts,

    /** A live `alert` transition. */
    onAlert(msg) {
      list.transition(msg);
    },

    /** A snapshot from the feed (`alerts` message): authoritative, so a slower HTTP answer is dropped. */
    applySnapshot(msg) {
      fetchGen++;
      list.load(msg, list.liveMark());
      error = '';
    },

    /** Forgets everything (a new run). */
    reset() {
      list.reset();
      error = '';
      hover = null;
      pinned = null;
      fetchGen++;
    },

    render: renderAlerts,
    renderRows: renderRowAlerts,
    togglePin: togglePin,

    /** The most pressing firing alert and a headline text for it, or null. */
    headline: () => list.headline(),

    /** The class an alert points at now (hover before pin), or null; WHOLE_LOSS is the whole loss. */
    targetClass() {
      return hover !== null ? hover : pinned;
    },
  };
}
