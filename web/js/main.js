/*
 * LossPrism live dashboard: wiring. Receives the feed (docs/protocol.md), keeps the state, and
 * redraws the views at most every MIN_REDRAW_MS.
 *
 * Data flow: `hello` starts a run's state afresh (or, on a reconnect to the same run, keeps it);
 * `history` messages merge by iteration into a bounded store per split; live `batch` messages add to it.
 * Reconnecting passes the last iteration held per split, so the server only fills the gap.
 *
 * Test hook: window.lossprism.receive(message) handles a message (object or JSON text) as if it came
 * over the WebSocket and redraws at once; sent() lists the messages the page sent; iterations(split),
 * latest(split), nextUrl() and dropConnection() let a test look at the data flow. With ?feed=off the
 * page opens no WebSocket and asks nothing over HTTP: it shows only what receive() gives it, and what it
 * would send goes to sent().
 */

import { $, fixed, fmt, isNum, node, percent, sameList, setText, strong } from './util.js';
import { Ema, classRows, worstIndex } from './metrics.js';
import { SeriesStore } from './series.js';
import { createFeed, feedUrl } from './feed.js';
import { createCharts } from './charts.js';
import { createTable } from './table.js';
import { createChain } from './chain.js';
import { createSamples } from './samples.js';
import { createProgress } from './progress.js';
import { createControls } from './controls.js';
import {
  WHOLE_LOSS, alertTargetClass, applyAlertsSnapshot, fetchAlerts, headlineAlert, initAlerts, onAlert,
  renderAlerts, renderRowAlerts, resetAlerts,
} from './alerts.js';

const PROTOCOL_VERSION = 1;
const MIN_REDRAW_MS = 250;
const FRAME_FALLBACK_MS = 500;
const SENT_LOG = 50;
const FRAMEWORK = { dl4j: 'DL4J', keras: 'Keras', torch: 'PyTorch' };

const feedOff = new URLSearchParams(window.location.search).get('feed') === 'off';

// ---------------------------------------------------------------- state

const app = {
  classes: [],
  config: {},
  runId: null,
  helloSeen: false,
  status: { state: 'unknown', epoch: 0, epochs: null, iteration: 0, iterationsPerEpoch: null, imagesPerSecond: null, message: '' },
  stores: { train: new SeriesStore(), validation: new SeriesStore() },
  downsampled: { train: false, validation: false },
  samples: null,
  batches: 0,
  socketMessages: 0,
  view: { split: 'train', metric: 'iou', posneg: false },
  ips: new Ema(0.15),
  versionWarning: '',
  sent: [],
};

// ---------------------------------------------------------------- views

const el = {
  headline: $('headline'),
  message: $('message'),
  connection: $('connection'),
  connectionText: $('connection-text'),
  connectionDetail: $('connection-detail'),
  config: $('config'),
  runId: $('run-id'),
  etaNote: $('eta-note'),
  iouTitle: $('iou-title'),
  iouAverages: $('iou-averages'),
  validationCount: $('validation-count'),
  splitSwitch: $('split-switch'),
  metricSwitch: $('metric-switch'),
  posneg: $('posneg-toggle'),
  lossNote: $('loss-note'),
};

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

const charts = createCharts({ loss: $('loss-chart'), metric: $('iou-chart'), composition: $('composition-chart') });

const chain = createChain({
  root: $('chain'), source: $('chain-source'), steps: $('chain-steps'), table: $('chain-table'),
  total: $('chain-total'), totalNote: $('chain-total-note'), dilution: $('chain-dilution'), answer: $('chain-answer'),
});

const samples = createSamples({ root: $('samples'), status: $('samples-status'), legend: $('samples-legend'), list: $('samples-list') },
  (name, fallback) => {
    const i = app.classes.indexOf(String(name));
    return i >= 0 ? i : fallback;
  });

const progressView = createProgress({
  state: $('state'), epoch: $('epoch'), iteration: $('iteration'), ips: $('ips'), eta: $('eta'),
  epochBar: $('progress-epoch'), epochFill: $('progress-epoch').querySelector('.progress-fill'), epochText: $('progress-epoch-text'),
  iterBar: $('progress-iteration'), iterFill: $('progress-iteration').querySelector('.progress-fill'), iterText: $('progress-iteration-text'),
});

initAlerts({
  alerts: $('alerts'), alertsCount: $('alerts-count'), alertsActive: $('alerts-active'), alertsEmpty: $('alerts-empty'),
  alertsHistory: $('alerts-history'), alertsHistoryEmpty: $('alerts-history-empty'), alertsError: $('alerts-error'),
  totalRow: $('total-loss').closest('tr'),
}, { rows: () => table.rows(), changed: requestRedraw, highlightChanged: updateCharts });

const feed = feedOff ? null : createFeed({
  onMessage: onMessageText,
  onConnection: setConnection,
  onOpen: () => {
    controls.reset();
    fetchAlerts(); // transitions missed while disconnected (a server that sends `alerts` supersedes it)
  },
  after: () => ({ train: app.stores.train.lastIteration(), validation: app.stores.validation.lastIteration() }),
  readToken: () => (app.config.readsNeedToken ? $('token').value || null : null),
});

const controls = createControls({
  root: $('controls'), token: $('token'), pause: $('btn-pause'), resume: $('btn-resume'), stop: $('btn-stop'),
  status: $('control-status'),
}, send);

function send(obj) {
  app.sent.push(obj);
  if (app.sent.length > SENT_LOG) app.sent.shift();
  if (feedOff) return true; // the test hook's loopback
  return feed.send(obj);
}

function connected() {
  return feedOff || (feed !== null && feed.isOpen());
}

function setConnection(state, text, detail) {
  el.connection.dataset.state = state;
  setText(el.connectionText, text);
  setText(el.connectionDetail, detail || '');
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
  if (msg.type !== 'alert') app.socketMessages++; // an alert says nothing about the training status
  if (msg.version !== undefined && msg.version !== PROTOCOL_VERSION && !app.versionWarning) {
    app.versionWarning = 'The server speaks feed version ' + msg.version + '; this page expects version '
      + PROTOCOL_VERSION + '. Some values may be missing.';
  }
  switch (msg.type) {
    case 'hello': onHello(msg); break;
    case 'history': onHistory(msg); break;
    case 'batch': onBatch(msg); break;
    case 'status': applyStatus(msg); break;
    case 'alert': onAlert(msg); break;
    case 'alerts': applyAlertsSnapshot(msg); break;
    case 'samples': onSamples(msg); break;
    case 'control-result': controls.onResult(msg); break;
    default: break;
  }
  requestRedraw();
}

/** Everything a run accumulates, forgotten. */
function resetRun() {
  app.stores.train.clear();
  app.stores.validation.clear();
  app.downsampled = { train: false, validation: false };
  app.samples = null;
  app.batches = 0;
  app.ips.reset();
  app.status = { state: 'unknown', epoch: 0, epochs: null, iteration: 0, iterationsPerEpoch: null, imagesPerSecond: null, message: '' };
  resetAlerts();
  controls.reset();
}

/** A hello begins a run's state, unless it is a reconnect to the run the page already follows. */
function isNewRun(msg, runId) {
  if (!app.helloSeen) return true;
  if (runId !== app.runId) return true;
  const serverAt = msg.status && isNum(msg.status.iteration) ? msg.status.iteration : null;
  const held = app.stores.train.lastIteration();
  return serverAt !== null && held !== null && serverAt < held; // the server restarted without run ids
}

function onHello(msg) {
  const run = msg.run && typeof msg.run === 'object' ? msg.run : null;
  const runId = run && run.id != null ? String(run.id) : null;
  if (feed) feed.confirmed();
  if (isNewRun(msg, runId)) {
    const gapOnly = feed !== null && app.helloSeen && feed.askedForGap();
    resetRun();
    app.runId = runId;
    if (gapOnly) { // asked for a gap of another run: ask again for everything
      feed.restartFresh();
      return;
    }
  }
  app.helloSeen = true;
  app.runId = runId;
  app.config = {
    imageSize: msg.imageSize,
    batchSize: msg.batchSize,
    epochs: msg.epochs,
    iterationsPerEpoch: msg.iterationsPerEpoch,
    convention: typeof msg.convention === 'string' ? msg.convention : app.config.convention,
    controlsNeedToken: msg.controlsNeedToken !== false,
    readsNeedToken: app.config.readsNeedToken,
    run: run,
  };
  if (isNum(msg.epochs)) app.status.epochs = msg.epochs;
  if (isNum(msg.iterationsPerEpoch) && msg.iterationsPerEpoch > 0) app.status.iterationsPerEpoch = msg.iterationsPerEpoch;
  if (Array.isArray(msg.classes)) setClasses(msg.classes.map(String));
  if (msg.status && typeof msg.status === 'object') applyStatus(msg.status);
  else if (run && typeof run.state === 'string') app.status.state = run.state;
  else fetchStatus();
}

function setClasses(names) {
  if (sameList(names, app.classes)) return;
  if (app.classes.length) { // other classes: the rows held no longer fit
    app.stores.train.clear();
    app.stores.validation.clear();
  }
  app.classes = names.slice();
  table.build(app.classes);
}

function classNamesOf(report) {
  const classes = Array.isArray(report.classes) ? report.classes.slice() : [];
  classes.sort((a, b) => (isNum(a && a.index) ? a.index : 0) - (isNum(b && b.index) ? b.index : 0));
  return classes.map((c, i) => (c && c.name != null ? String(c.name) : 'class ' + i));
}

function splitOf(msg) {
  return msg.split === 'validation' ? 'validation' : 'train';
}

function onHistory(msg) {
  const reports = Array.isArray(msg.reports) ? msg.reports.filter((r) => r && typeof r === 'object') : [];
  const split = splitOf(msg);
  if (!reports.length) return;
  if (!app.classes.length) setClasses(classNamesOf(reports[0]));
  const added = app.stores[split].merge(reports);
  app.batches += added;
  if (msg.downsampled === true) app.downsampled[split] = true;
  const latest = app.stores[split].latest;
  if (latest && typeof latest.convention === 'string') app.config.convention = latest.convention;
  if (split === 'train' && latest) followTrainingBatch(latest, false);
}

function onBatch(msg) {
  app.batches++;
  const split = splitOf(msg);
  const names = classNamesOf(msg);
  if (names.length) setClasses(names);
  if (!app.stores[split].add(msg)) return;
  if (typeof msg.convention === 'string') app.config.convention = msg.convention;
  if (split === 'train') followTrainingBatch(msg, true);
}

/** A training batch also tells where training is. */
function followTrainingBatch(msg, live) {
  const st = app.status;
  if (isNum(msg.iteration) && msg.iteration >= st.iteration) {
    st.iteration = msg.iteration;
    if (isNum(msg.epoch)) st.epoch = msg.epoch;
    if (isNum(msg.imagesPerSecond)) st.imagesPerSecond = msg.imagesPerSecond;
  }
  if (live && isNum(msg.imagesPerSecond)) app.ips.add(msg.imagesPerSecond);
  if (live && (st.state === 'starting' || st.state === 'unknown')) st.state = 'training';
}

function applyStatus(s) {
  if (!s || typeof s !== 'object') return;
  const st = app.status;
  if (typeof s.state === 'string') st.state = s.state;
  if (isNum(s.epoch)) st.epoch = s.epoch;
  if (isNum(s.epochs)) st.epochs = s.epochs;
  if (isNum(s.iteration)) st.iteration = Math.max(s.iteration, s.state === 'starting' ? 0 : st.iteration);
  if (isNum(s.iterationsPerEpoch) && s.iterationsPerEpoch > 0) st.iterationsPerEpoch = s.iterationsPerEpoch;
  if (isNum(s.imagesPerSecond)) {
    st.imagesPerSecond = s.imagesPerSecond;
    app.ips.add(s.imagesPerSecond);
  }
  st.message = typeof s.message === 'string' ? s.message : '';
}

function onSamples(msg) {
  if (!isNum(msg.iteration) || !Array.isArray(msg.images)) return;
  if (app.samples && app.samples.iteration > msg.iteration && app.samples.split === msg.split) return; // older
  app.samples = msg;
}

// ---------------------------------------------------------------- status over HTTP

function fetchStatus() {
  if (feedOff) return;
  const seenBefore = app.socketMessages;
  fetch('/api/status', { cache: 'no-store', headers: { Accept: 'application/json' } })
    .then((r) => {
      if (r.status === 401 || r.status === 403) app.config.readsNeedToken = true;
      return r.ok ? r.json() : null;
    })
    .then((s) => {
      // a status or batch that arrived over the socket meanwhile is newer: keep it
      if (s && app.socketMessages === seenBefore) {
        applyStatus(s);
        requestRedraw();
      }
    })
    .catch(() => { /* the socket will bring the status */ });
}

// ---------------------------------------------------------------- rendering

function conventionName() {
  return FRAMEWORK[app.config.convention] || app.config.convention || 'the framework';
}

function headlineAlertPart(nodes) {
  const h = headlineAlert();
  el.headline.dataset.alert = h ? h.alert.alertname : '';
  el.headline.dataset.alertClass = h && h.alert.class !== null ? h.alert.class : '';
  if (!h) return nodes;
  const span = node('span', 'headline-alert');
  span.dataset.severity = h.alert.severity;
  span.append(' — ', strong('alert:'), ' ' + h.text);
  return nodes.concat([span]);
}

function renderHeadline(msg, rows, worst) {
  if (!msg) {
    el.headline.replaceChildren(...headlineAlertPart([app.status.state === 'failed'
      ? 'Training failed before the first batch.'
      : 'Waiting for the first training batch…']));
    el.headline.dataset.worst = '';
    return;
  }
  const sums = app.config.convention === 'dl4j';
  const nodes = sums
    ? ['Loss ', strong(fmt(msg.meanElementLoss, 3)), ' per element (', strong(fmt(msg.loss, 4)), ' as ' + conventionName() + ' reports it)']
    : ['Loss ', strong(fmt(msg.loss, 4)), ' (mean over all elements, as ' + conventionName() + ' reports it)'];
  if (worst < 0) {
    nodes.push(' — IoU is not yet defined for any class.');
  } else {
    const c = rows[worst];
    nodes.push(c.iou < 0.5 ? ' — but class ' : ' — lowest IoU: class ');
    nodes.push(strong(c.name, 'worst-name'), ' has IoU ', strong(fixed(c.iou, 2)));
    if (c.lossShare !== null) nodes.push(' and makes up ' + percent(c.lossShare) + ' of the loss');
    if (c.errorShare !== null && c.lossShare !== null) nodes.push(' but ' + percent(c.errorShare) + ' of the errors');
    nodes.push('.');
  }
  el.headline.replaceChildren(...headlineAlertPart(nodes));
  el.headline.dataset.worst = worst < 0 ? '' : rows[worst].name;
}

function renderMessage() {
  const st = app.status;
  const notes = [];
  if (st.state === 'failed') notes.push('Training failed' + (st.message ? ': ' + st.message : '.'));
  else if (st.message) notes.push(st.message);
  if (app.versionWarning) notes.push(app.versionWarning);
  if (!charts.available()) notes.push('Charts unavailable: uPlot could not be loaded from /webjars.');
  for (const split of ['train', 'validation']) {
    if (app.downsampled[split]) notes.push('Older ' + split + ' history was downsampled by the server (extremes kept).');
  }
  setText(el.message, notes.join(' '));
  el.message.hidden = notes.length === 0;
  el.message.dataset.kind = st.state === 'failed' ? 'error' : 'info';
}

function renderConfig() {
  const c = app.config;
  const parts = [];
  if (isNum(c.imageSize)) parts.push(c.imageSize + '×' + c.imageSize + ' images');
  if (isNum(c.batchSize)) parts.push('batch ' + c.batchSize);
  if (app.classes.length) parts.push(app.classes.length + ' classes');
  if (isNum(c.iterationsPerEpoch) && c.iterationsPerEpoch > 0) parts.push(c.iterationsPerEpoch + ' iterations/epoch');
  if (c.convention) parts.push('loss convention: ' + c.convention);
  const held = app.stores.train.length + app.stores.validation.length;
  parts.push(held + ' reports held');
  setText(el.config, parts.join(' · '));
  const run = c.run;
  setText(el.runId, run && run.id != null ? '(' + run.id + (run.createdAt ? ', started ' + new Date(run.createdAt).toLocaleString() : '') + ')' : '');
}

function renderProgress() {
  const latestTrain = app.stores.train.latest;
  const perIteration = isNum(app.config.batchSize) ? app.config.batchSize : (latestTrain && latestTrain.images);
  const p = progressView.render(app.status, perIteration, app.ips.value);
  setText(el.etaNote, app.ips.value === null ? ''
    : 'at ' + app.ips.value.toFixed(1) + ' images/s (smoothed)' + (p.remaining === null ? '' : ', ' + p.remaining.toLocaleString('en-US') + ' iterations left'));
}

function renderAverages(msg) {
  if (!msg) {
    setText(el.iouAverages, '');
    return;
  }
  const row = app.stores[app.view.split].rows[app.stores[app.view.split].length - 1];
  const avg = app.view.metric === 'dice' ? row.diceAvg : row.iouAvg;
  const raw = avg.frequencyWeighted !== null && avg.macro !== null ? avg.frequencyWeighted - avg.macro : null;
  const gap = raw !== null && Math.abs(raw) < 5e-4 ? 0 : raw; // no "-0.000"
  setText(el.iouAverages, 'Latest (iteration ' + row.iteration + '): micro ' + fixed(avg.micro, 3) + ' · macro '
    + fixed(avg.macro, 3) + ' · frequency-weighted ' + fixed(avg.frequencyWeighted, 3)
    + (gap !== null ? ' · gap frequency-weighted − macro ' + fixed(gap, 3) + (gap > 0.2 ? ' (a rare class is failing)' : '') : ''));
}

function highlightIndex() {
  const target = alertTargetClass();
  if (target === null || target === WHOLE_LOSS) return null;
  const i = app.classes.indexOf(target);
  return i >= 0 ? i : null;
}

function chartView() {
  return {
    classes: app.classes,
    split: app.view.split,
    metric: app.view.metric,
    posneg: app.view.posneg,
    highlight: highlightIndex(),
    stores: app.stores,
  };
}

function updateCharts() {
  charts.update(chartView());
}

/**
 * Redrawing the charts costs more the more points they hold; new data is drawn at most once per
 * CHART_COST_FACTOR times the last drawing's cost, so a long run never takes the browser's CPU.
 */
const CHART_COST_FACTOR = 8;
const chartClock = { cost: 0, last: -Infinity };

function updateChartsPaced(force) {
  const view = chartView();
  const start = performance.now();
  if (!force && charts.stale(view) && start - chartClock.last < chartClock.cost * CHART_COST_FACTOR) {
    requestRedraw(); // later
    return;
  }
  if (charts.update(view)) {
    chartClock.last = start;
    chartClock.cost = performance.now() - start;
  }
}

function renderViewLabels() {
  setText(el.iouTitle, (app.view.metric === 'dice' ? 'Dice' : 'IoU') + ' per class');
  const v = app.stores.validation.length;
  setText(el.validationCount, v ? '(' + v + ')' : '(none yet)');
}

function redraw(forceCharts) {
  redrawPending = false;
  lastRedraw = performance.now();
  try {
    const trainMsg = app.stores.train.latest;
    const trainRows = trainMsg ? classRows(trainMsg, app.classes) : [];
    const msg = app.stores[app.view.split].latest;
    const rows = msg ? (msg === trainMsg ? trainRows : classRows(msg, app.classes)) : [];
    const worst = worstIndex(rows);
    renderProgress();
    renderMessage();
    renderConfig();
    renderHeadline(trainMsg, trainRows, worstIndex(trainRows));
    renderViewLabels();
    table.render(msg, rows, worst, app.view.split);
    chain.render(msg, rows, worst, app.view.split);
    renderAverages(msg);
    renderAlerts();
    renderRowAlerts();
    samples.render(app.samples);
    controls.render(app.status.state, connected());
    updateChartsPaced(forceCharts === true);
  } catch (e) {
    console.error('LossPrism: redraw failed', e);
  }
  document.body.dataset.batches = String(app.batches);
}

// ---------------------------------------------------------------- redraw throttle

let redrawPending = false;
let lastRedraw = -Infinity;

function requestRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  const wait = Math.max(0, lastRedraw + MIN_REDRAW_MS - performance.now());
  setTimeout(() => {
    // Draw on the next frame; where no frame comes (a hidden tab, a headless browser),
    // draw anyway a little later so the page never stops following the run.
    let drawn = false;
    const once = () => {
      if (!drawn) {
        drawn = true;
        if (redrawPending) redraw();
      }
    };
    requestAnimationFrame(once);
    setTimeout(once, FRAME_FALLBACK_MS);
  }, wait);
}

// ---------------------------------------------------------------- view switches

function bindViewSwitches() {
  el.splitSwitch.addEventListener('change', (ev) => {
    if (ev.target.name === 'split') {
      app.view.split = ev.target.value === 'validation' ? 'validation' : 'train';
      requestRedraw();
    }
  });
  el.metricSwitch.addEventListener('change', (ev) => {
    if (ev.target.name === 'metric') {
      app.view.metric = ev.target.value === 'dice' ? 'dice' : 'iou';
      requestRedraw();
    }
  });
  el.posneg.addEventListener('change', () => {
    app.view.posneg = el.posneg.checked;
    requestRedraw();
  });
  // the browser may restore form state on reload
  const split = el.splitSwitch.querySelector('input:checked');
  if (split) app.view.split = split.value === 'validation' ? 'validation' : 'train';
  const metric = el.metricSwitch.querySelector('input:checked');
  if (metric) app.view.metric = metric.value === 'dice' ? 'dice' : 'iou';
  app.view.posneg = el.posneg.checked;
}

// ---------------------------------------------------------------- test hook

function exposeTestHook() {
  window.lossprism = Object.freeze({
    /** Handles a message as if it came over the WebSocket, then redraws at once. */
    receive(message) {
      onMessage(typeof message === 'string' ? JSON.parse(message) : message);
      redraw(true);
    },
    /** Messages the page sent (controls), oldest first. */
    sent: () => app.sent.map((m) => JSON.parse(JSON.stringify(m))),
    /** Iterations held for a split, ascending. */
    iterations: (split) => app.stores[split === 'validation' ? 'validation' : 'train'].iterations(),
    /** The newest report held for a split (as received). */
    latest: (split) => app.stores[split === 'validation' ? 'validation' : 'train'].latest,
    view: () => Object.assign({}, app.view, { runId: app.runId, state: app.status.state }),
    /** The URL the next (re)connection will open: it asks for the gap after what the page holds. */
    nextUrl: () => feedUrl(window.location, {
      train: app.stores.train.lastIteration(), validation: app.stores.validation.lastIteration(),
    }, null),
    /** Drops the WebSocket as a network failure would; the page reconnects with backoff. */
    dropConnection: () => {
      if (feed) feed.drop();
    },
    redraw: () => redraw(true),
  });
}

// ---------------------------------------------------------------- start

function start() {
  bindViewSwitches();
  exposeTestHook();
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => requestAnimationFrame(() => charts.resize()));
    for (const id of ['loss-chart', 'iou-chart', 'composition-chart']) observer.observe($(id));
  }
  window.addEventListener('resize', () => requestAnimationFrame(() => charts.resize()));
  if (feedOff) {
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
    fetchAlerts();
    feed.start();
  }
  requestRedraw();
}

start();
