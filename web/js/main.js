/*
 * LossPrism live dashboard: wiring only. The feed's messages (docs/protocol.md) go into the run state
 * (state.js) and the alerts; the views draw from them, at most every MIN_REDRAW_MS (redraw.js).
 * Reconnecting passes the last iteration held per split, so the server only fills the gap.
 *
 * Test hook: window.lossprism.receive(message) handles a message (object or JSON text) as if it came
 * over the WebSocket and redraws at once; sent() lists the messages the page sent; iterations(split),
 * latest(split), nextUrl() and dropConnection() let a test look at the data flow. With ?feed=off the
 * page opens no WebSocket and asks nothing over HTTP: it shows only what receive() gives it, and what it
 * would send goes to sent().
 */

import { $, setText } from './util.js';
import { classRows, worstIndex } from './metrics.js';
import { createRunState, runIdOf } from './state.js';
import { createFeed, feedUrl } from './feed.js';
import { createRedrawScheduler, createChartPacer } from './redraw.js';
import { createViewSwitches } from './views.js';
import { createHeadline, notes } from './headline.js';
import { createSummary } from './summary.js';
import { createCharts } from './charts.js';
import { createTable } from './table.js';
import { createChain } from './chain.js';
import { createModelInfo } from './model.js';
import { createSamples } from './samples.js';
import { createProgress } from './progress.js';
import { createControls } from './controls.js';
import { createAlerts } from './alerts.js';
import { WHOLE_LOSS } from './alertlist.js';
import { apiPath, createPicker, runFromSearch } from './picker.js';
import { pageOf } from './pages.js';
import { createNewRunDialog, remedyContext, startOtherPage } from './otherpages.js';
import { replayRun } from './replay.js';

const SENT_LOG = 50;

const page = pageOf(window.location.search); // the live run, or the runs, compare or replay page (pages.js)
const feedOff = new URLSearchParams(window.location.search).get('feed') === 'off' || page.page !== 'live';
/** The run the URL names (/?run=<id>), or null: the server's default run. */
const followedRun = runFromSearch(window.location.search);
const sent = []; // what the page sent, newest last, for the test hook

// ---------------------------------------------------------------- views

const scheduler = createRedrawScheduler(() => redraw(false));
const chartPacer = createChartPacer();

const table = createTable({
  table: $('class-table'),
  tbody: $('class-table').querySelector('tbody'),
  iteration: $('table-iteration'),
  totalLoss: $('total-loss'),
  totalNote: $('total-note'),
  footCells: {
    meanPositiveLoss: $('total-mpl'), iou: $('total-iou'), dice: $('total-dice'),
    tp: $('total-tp'), fp: $('total-fp'), fn: $('total-fn'), averages: $('total-averages'),
  },
});

const run = createRunState({ classesChanged: (names) => table.build(names) });

const view = createViewSwitches({ splitSwitch: $('split-switch'), metricSwitch: $('metric-switch'), posneg: $('posneg-toggle') },
  requestRedraw);

const headline = createHeadline({ headline: $('headline'), message: $('message') });

const summary = createSummary({
  config: $('config'), runId: $('run-id'), iouTitle: $('iou-title'), iouAverages: $('iou-averages'),
  validationCount: $('validation-count'),
});

const charts = createCharts({ loss: $('loss-chart'), metric: $('iou-chart'), composition: $('composition-chart') });

const modelInfo = createModelInfo($('model'), () => $('token').value || null, () => run.config.readsNeedToken === true);

const chain = createChain({
  root: $('chain'), source: $('chain-source'), loss: $('chain-loss'), steps: $('chain-steps'), table: $('chain-table'),
  total: $('chain-total'), totalNote: $('chain-total-note'), dilution: $('chain-dilution'), answer: $('chain-answer'),
});

const samples = createSamples({ root: $('samples'), status: $('samples-status'), legend: $('samples-legend'), list: $('samples-list') },
  (name, fallback) => {
    const i = run.classes.indexOf(String(name));
    return i >= 0 ? i : fallback;
  });

const progressView = createProgress({
  state: $('state'), epoch: $('epoch'), iteration: $('iteration'), ips: $('ips'), eta: $('eta'), etaNote: $('eta-note'),
  epochBar: $('progress-epoch'), epochFill: $('progress-epoch').querySelector('.progress-fill'), epochText: $('progress-epoch-text'),
  iterBar: $('progress-iteration'), iterFill: $('progress-iteration').querySelector('.progress-fill'), iterText: $('progress-iteration-text'),
});

const alerts = createAlerts({
  alerts: $('alerts'), alertsCount: $('alerts-count'), alertsActive: $('alerts-active'), alertsEmpty: $('alerts-empty'),
  alertsHistory: $('alerts-history'), alertsHistoryEmpty: $('alerts-history-empty'), alertsError: $('alerts-error'),
  totalRow: $('total-loss').closest('tr'),
}, {
  rows: () => table.rows(), changed: requestRedraw, highlightChanged: updateCharts,
  alertsUrl: () => apiPath('/api/alerts', followedRun),
  remedy: (cls) => newRun.open(run.runId, remedyContext(cls, run.classes, run.stores)),
});

const picker = createPicker({ select: $('live-runs') }, {
  followed: followedRun,
  fetchLive: () => fetch('/api/live', { cache: 'no-store', headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)))),
  go: (path) => window.location.assign(path),
});
if (!feedOff) picker.start();

let reloadRuns = null; // the runs view's list, reloaded when the dialog starts a run
const newRun = createNewRunDialog(() => {
  if (reloadRuns) reloadRuns();
});
$('btn-new-run').addEventListener('click', () => newRun.open(run.runId));

const connection = { root: $('connection'), text: $('connection-text'), detail: $('connection-detail') };

const feed = feedOff ? null : createFeed({
  onMessage: onMessageText,
  onConnection: setConnection,
  onOpen: () => {
    controls.reset();
    alerts.fetch(); // transitions missed while disconnected (a server that sends `alerts` supersedes it)
  },
  after: () => run.held(),
  runId: followedRun,
  readToken: () => (run.config.readsNeedToken ? $('token').value || null : null),
});

const controls = createControls({
  root: $('controls'), token: $('token'), pause: $('btn-pause'), resume: $('btn-resume'), stop: $('btn-stop'),
  status: $('control-status'),
}, send);

function send(obj) {
  sent.push(obj);
  if (sent.length > SENT_LOG) sent.shift();
  if (feedOff) return true; // the test hook's loopback
  return feed.send(obj);
}

function connected() {
  return (feedOff && page.page === 'live') || (feed !== null && feed.isOpen()); // a replay has no one to send to
}

function setConnection(state, text, detail) {
  connection.root.dataset.state = state;
  setText(connection.text, text);
  setText(connection.detail, detail || '');
  requestRedraw();
}

// ---------------------------------------------------------------- messages

function onMessageText(text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    console.warn('LossPrism: ignoring a message that is not JSON', e);
    return;
  }
  try {
    onMessage(msg);
  } catch (e) {
    console.error('LossPrism: failed to handle a message', e);
  }
}

function onMessage(msg) {
  if (!msg || typeof msg !== 'object') return;
  run.note(msg);
  switch (msg.type) {
    case 'hello': onHello(msg); break;
    case 'history': run.onHistory(msg); break;
    case 'batch': run.onBatch(msg); break;
    case 'status': run.applyStatus(msg); break;
    case 'alert': alerts.onAlert(msg); break;
    case 'alerts': alerts.applySnapshot(msg); break;
    case 'samples': run.onSamples(msg); break;
    case 'control-result': controls.onResult(msg); break;
    default: break;
  }
  if (msg.type === 'hello' || msg.type === 'status' || msg.type === 'batch') wantModel();
  requestRedraw();
}

function onHello(msg) {
  if (feed) feed.confirmed();
  if (run.isNewRun(msg)) {
    const gapOnly = feed !== null && run.helloSeen && feed.askedForGap();
    run.reset(runIdOf(msg));
    alerts.reset();
    controls.reset();
    if (gapOnly) { // asked for a gap of another run: ask again for everything
      feed.restartFresh();
      return;
    }
  }
  if (run.applyHello(msg)) fetchStatus();
}

/** The run's model, once the server knows it (after training started); with ?feed=off nothing is asked. */
function wantModel() {
  if (!feedOff) modelInfo.want(run.runId);
}

/** GET /api/status, for a hello without a status. */
function fetchStatus() {
  if (feedOff) return;
  const seenBefore = run.socketMessages;
  fetch(apiPath('/api/status', followedRun), { cache: 'no-store', headers: { Accept: 'application/json' } })
    .then((r) => {
      if (r.status === 401 || r.status === 403) run.config.readsNeedToken = true;
      return r.ok ? r.json() : null;
    })
    .then((s) => {
      // a status or batch that arrived over the socket meanwhile is newer: keep it
      if (s && run.socketMessages === seenBefore) {
        run.applyStatus(s);
        requestRedraw();
      }
    })
    .catch(() => { /* the socket will bring the status */ });
}

// ---------------------------------------------------------------- drawing

function requestRedraw() {
  scheduler.request();
}

function highlightIndex() {
  const target = alerts.targetClass();
  if (target === null || target === WHOLE_LOSS) return null;
  const i = run.classes.indexOf(target);
  return i >= 0 ? i : null;
}

function chartView() {
  return {
    classes: run.classes,
    split: view.split,
    metric: view.metric,
    posneg: view.posneg,
    highlight: highlightIndex(),
    stores: run.stores,
  };
}

function updateCharts() {
  charts.update(chartView());
}

function updateChartsPaced(force) {
  const v = chartView();
  const start = performance.now();
  if (!force && chartPacer.shouldWait(charts.stale(v), start)) {
    requestRedraw(); // later
    return;
  }
  if (charts.update(v)) chartPacer.drew(start, performance.now());
}

function redraw(forceCharts) {
  scheduler.drawn();
  try {
    const trainMsg = run.stores.train.latest;
    const trainRows = trainMsg ? classRows(trainMsg, run.classes) : [];
    const msg = run.stores[view.split].latest;
    const rows = msg ? (msg === trainMsg ? trainRows : classRows(msg, run.classes)) : [];
    const worst = worstIndex(rows);
    const state = run.status.state;
    progressView.render(run.status, run.imagesPerIteration());
    headline.renderNotes(notes(run.status, run.versionWarning, charts.available(), run.downsampled), state === 'failed' || state === 'unresumable');
    summary.render(run, view);
    headline.render(trainMsg, trainRows, worstIndex(trainRows), run.config.convention, state, alerts.headline());
    table.render(msg, rows, worst, view.split);
    chain.render(msg, rows, worst, view.split);
    alerts.render();
    alerts.renderRows();
    samples.render(run.samples);
    controls.render(state, connected());
    updateChartsPaced(forceCharts === true);
  } catch (e) {
    console.error('LossPrism: redraw failed', e);
  }
  document.body.dataset.batches = String(run.batches);
}

// ---------------------------------------------------------------- test hook

function exposeTestHook() {
  const store = (split) => run.stores[split === 'validation' ? 'validation' : 'train'];
  window.lossprism = Object.freeze({
    /** Handles a message as if it came over the WebSocket, then redraws at once. */
    receive(message) {
      onMessage(typeof message === 'string' ? JSON.parse(message) : message);
      redraw(true);
    },
    /** Messages the page sent (controls), oldest first. */
    sent: () => sent.map((m) => JSON.parse(JSON.stringify(m))),
    /** Iterations held for a split, ascending. */
    iterations: (split) => store(split).iterations(),
    /** The newest report held for a split (as received). */
    latest: (split) => store(split).latest,
    view: () => Object.assign({}, view, { runId: run.runId, state: run.status.state }),
    /** The URL the next (re)connection will open: it asks for the gap after what the page holds. */
    nextUrl: () => feedUrl(window.location, run.held(), null),
    /** Drops the WebSocket as a network failure would; the page reconnects with backoff. */
    dropConnection: () => {
      if (feed) feed.drop();
    },
    redraw: () => redraw(true),
  });
}

// ---------------------------------------------------------------- start

function startPage() {
  exposeTestHook();
  if (page.page === 'runs' || page.page === 'compare') {
    reloadRuns = startOtherPage(page, newRun);
    return;
  }
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => requestAnimationFrame(() => charts.resize()));
    for (const id of ['loss-chart', 'iou-chart', 'composition-chart']) observer.observe($(id));
  }
  window.addEventListener('resize', () => requestAnimationFrame(() => charts.resize()));
  if (page.page === 'replay') {
    setConnection('off', 'replay of a stored run');
    replayRun(page.ids[0], (m) => onMessage(m), (text) => run.applyStatus({ message: text })).then(() => {
      modelInfo.want(run.runId);
      redraw(true);
    });
  } else if (feedOff) {
    setConnection('off', 'feed off (test mode)');
  } else {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        feed.nudge();
        requestRedraw();
      }
    });
    window.addEventListener('online', () => feed.nudge());
    fetchStatus();
    alerts.fetch();
    feed.start();
  }
  requestRedraw();
}

startPage();
