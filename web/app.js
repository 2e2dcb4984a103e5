/*
 * LossPrism live dashboard.
 *
 * Listens to the training feed on /ws, keeps a bounded history per series (at most MAX_POINTS,
 * thinned by doubling the iteration stride) and redraws at most every MIN_REDRAW_MS.
 * All text from the server is inserted with textContent, never as HTML.
 */
(function () {
  'use strict';

  const PROTOCOL_VERSION = 1;
  const MAX_POINTS = 2000;
  const MIN_REDRAW_MS = 250;
  const FRAME_FALLBACK_MS = 500;
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 15000;
  const STABLE_CONNECTION_MS = 5000; // a connection that lasted this long resets the backoff
  const CURSOR_SYNC_KEY = 'lossprism';
  const DASH = '—';

  // Okabe-Ito, ordered so the first classes get the most distinct, highest-contrast colours.
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
  const DASHES = [null, [6, 3], [2, 3], [10, 3, 2, 3]];
  const AGGREGATE_COLOR = '#1d2430';
  const PER_ELEMENT_COLOR = '#8a93a3';

  const $ = (id) => document.getElementById(id);
  const el = {
    state: $('state'),
    epoch: $('epoch'),
    iteration: $('iteration'),
    ips: $('ips'),
    connection: $('connection'),
    headline: $('headline'),
    message: $('message'),
    lossChart: $('loss-chart'),
    iouChart: $('iou-chart'),
    compositionChart: $('composition-chart'),
    table: $('class-table'),
    tbody: $('class-table').querySelector('tbody'),
    tableIteration: $('table-iteration'),
    totalLoss: $('total-loss'),
    totalNote: $('total-note'),
    config: $('config'),
    totalRow: $('total-loss') ? $('total-loss').closest('tr') : null,
    alerts: $('alerts'),
    alertsCount: $('alerts-count'),
    alertsActive: $('alerts-active'),
    alertsEmpty: $('alerts-empty'),
    alertsHistory: $('alerts-history'),
    alertsHistoryEmpty: $('alerts-history-empty'),
    alertsError: $('alerts-error'),
  };

  // ---------------------------------------------------------------- formatting

  function isNum(v) {
    return typeof v === 'number' && Number.isFinite(v);
  }

  /** A loss-like number with about `digits` significant digits; "—" when undefined. */
  function fmt(v, digits) {
    if (!isNum(v)) return DASH;
    if (v === 0) return '0';
    const a = Math.abs(v);
    if (a >= 1e6 || a < 1e-4) return v.toExponential(Math.max(0, (digits || 4) - 2));
    if (a >= 1000) return v.toFixed(0);
    return String(Number(v.toPrecision(digits || 4)));
  }

  function fixed(v, decimals) {
    return isNum(v) ? v.toFixed(decimals) : DASH;
  }

  function percent(fraction) {
    if (!isNum(fraction)) return DASH;
    const p = fraction * 100;
    if (p === 0) return '0%';
    const a = Math.abs(p);
    if (a < 0.01) return '<0.01%';
    if (a < 1) return p.toFixed(2) + '%';
    return p.toFixed(1) + '%';
  }

  function count(v) {
    return isNum(v) ? Math.round(v).toLocaleString('en-US') : DASH;
  }

  function classColor(i) {
    return PALETTE[i % PALETTE.length];
  }

  function classDash(i) {
    return DASHES[Math.floor(i / PALETTE.length) % DASHES.length];
  }

  function withAlpha(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // ---------------------------------------------------------------- bounded history

  /**
   * Columns of equal length; column 0 holds the iteration (x). Keeps at most MAX_POINTS rows by
   * thinning: when full, only iterations divisible by a doubled stride are kept, so the whole run
   * stays visible at a coarser resolution. The newest row is always kept; if it is off the stride
   * it is "provisional" and replaced by the next one.
   */
  class History {
    constructor(columns) {
      this.cols = [];
      for (let i = 0; i < columns; i++) this.cols.push([]);
      this.stride = 1;
      this.provisional = false;
    }

    get length() {
      return this.cols[0].length;
    }

    lastX() {
      const xs = this.cols[0];
      return xs.length ? xs[xs.length - 1] : null;
    }

    push(row) {
      const x = row[0];
      if (this.provisional || this.lastX() === x) this.pop();
      for (let i = 0; i < this.cols.length; i++) this.cols[i].push(row[i]);
      this.provisional = x % this.stride !== 0;
      while (this.length > MAX_POINTS) this.thin();
    }

    pop() {
      for (const c of this.cols) c.pop();
      this.provisional = false;
    }

    thin() {
      const stride = this.stride * 2;
      const xs = this.cols[0];
      const n = xs.length;
      const keep = [];
      for (let i = 0; i < n; i++) if (xs[i] % stride === 0 || i === n - 1) keep.push(i);
      this.cols = this.cols.map((c) => keep.map((i) => c[i]));
      this.stride = stride;
      this.provisional = xs[n - 1] % stride !== 0;
    }

    /** Copies, so uPlot never sees arrays that change under it between redraws. */
    column(i) {
      return this.cols[i].slice();
    }
  }

  // ---------------------------------------------------------------- state

  const app = {
    classes: [],
    classesSet: false,
    config: {},
    status: { state: 'unknown', epoch: 0, epochs: null, iteration: 0, iterationsPerEpoch: null, imagesPerSecond: null, message: '' },
    latest: null,
    batches: 0,
    history: new History(3),
    charts: { loss: null, iou: null, composition: null },
    rows: [],
    socketMessages: 0,
    versionWarning: '',
  };

  // history columns: 0 x, 1 loss, 2 meanElementLoss, then n IoU columns, then n loss-term columns
  const COL_LOSS = 1;
  const COL_PER_ELEMENT = 2;
  const iouCol = (i) => 3 + i;
  const termCol = (i) => 3 + app.classes.length + i;

  function setClasses(names) {
    if (app.classesSet && sameList(names, app.classes)) return;
    app.classesSet = true;
    app.classes = names.slice();
    app.history = new History(3 + 2 * names.length);
    app.latest = null;
    buildTable();
    buildCharts();
  }

  // ---------------------------------------------------------------- messages

  function onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      console.warn('LossPrism: ignoring a message that is not JSON', e);
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.type !== 'alert') app.socketMessages++; // an alert says nothing about the training status
    if (msg.version !== undefined && msg.version !== PROTOCOL_VERSION && !app.versionWarning) {
      app.versionWarning = 'The server speaks feed version ' + msg.version + '; this page expects version '
        + PROTOCOL_VERSION + '. Some values may be missing.';
    }
    switch (msg.type) {
      case 'hello': onHello(msg); break;
      case 'batch': onBatch(msg); break;
      case 'status': applyStatus(msg); break;
      case 'alert': onAlert(msg); break;
      default: break;
    }
    requestRedraw();
  }

  function onHello(msg) {
    app.config = {
      imageSize: msg.imageSize,
      batchSize: msg.batchSize,
      epochs: msg.epochs,
      iterationsPerEpoch: msg.iterationsPerEpoch,
    };
    if (isNum(msg.epochs)) app.status.epochs = msg.epochs;
    if (isNum(msg.iterationsPerEpoch) && msg.iterationsPerEpoch > 0) app.status.iterationsPerEpoch = msg.iterationsPerEpoch;
    if (Array.isArray(msg.classes)) setClasses(msg.classes.map(String));
    if (msg.status && typeof msg.status === 'object') applyStatus(msg.status);
    else fetchStatus();
  }

  function applyStatus(s) {
    if (!s || typeof s !== 'object') return;
    const st = app.status;
    if (typeof s.state === 'string') st.state = s.state;
    if (isNum(s.epoch)) st.epoch = s.epoch;
    if (isNum(s.epochs)) st.epochs = s.epochs;
    if (isNum(s.iteration)) st.iteration = s.iteration;
    if (isNum(s.iterationsPerEpoch) && s.iterationsPerEpoch > 0) st.iterationsPerEpoch = s.iterationsPerEpoch;
    if (isNum(s.imagesPerSecond)) st.imagesPerSecond = s.imagesPerSecond;
    st.message = typeof s.message === 'string' ? s.message : '';
  }

  function onBatch(msg) {
    app.batches++;
    if (msg.split !== undefined && msg.split !== 'train') return; // only the training split is charted
    if (typeof msg.convention === 'string' && app.config) app.config.convention = msg.convention;
    const classes = Array.isArray(msg.classes) ? msg.classes.slice() : [];
    classes.sort((a, b) => (isNum(a.index) ? a.index : 0) - (isNum(b.index) ? b.index : 0));
    const names = classes.map((c, i) => (c && c.name != null ? String(c.name) : 'class ' + i));
    setClasses(names);

    const x = msg.iteration;
    if (!isNum(x)) return;
    const last = app.history.lastX();
    if (last !== null && x < last) {
      // iterations went backwards: the server started a new run
      app.history = new History(3 + 2 * names.length);
    }

    const row = new Array(3 + 2 * names.length);
    row[0] = x;
    row[COL_LOSS] = isNum(msg.loss) ? msg.loss : null;
    row[COL_PER_ELEMENT] = isNum(msg.meanElementLoss) ? msg.meanElementLoss : null;
    classes.forEach((c, i) => {
      row[iouCol(i)] = isNum(c.iou) ? c.iou : null;
      row[termCol(i)] = isNum(c.loss) ? c.loss : null;
    });
    app.history.push(row);
    app.latest = { msg: msg, classes: classes };

    const st = app.status;
    st.iteration = x;
    if (isNum(msg.epoch)) st.epoch = msg.epoch;
    if (isNum(msg.imagesPerSecond)) st.imagesPerSecond = msg.imagesPerSecond;
    if (st.state === 'starting' || st.state === 'unknown') st.state = 'training';
  }

  // ---------------------------------------------------------------- status over HTTP

  function fetchStatus() {
    const seenBefore = app.socketMessages;
    fetch('/api/status', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((s) => {
        // a status or batch that arrived over the socket meanwhile is newer: keep it
        if (s && app.socketMessages === seenBefore) {
          applyStatus(s);
          requestRedraw();
        }
      })
      .catch(() => { /* the socket will bring the status */ });
  }

  // ---------------------------------------------------------------- WebSocket with backoff

  let socket = null;
  let reconnectAttempts = 0;
  let reconnectTimer = null;
  let countdownTimer = null;

  function socketUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function setConnection(state, text) {
    el.connection.dataset.state = state;
    el.connection.textContent = text;
  }

  function connect() {
    reconnectTimer = null;
    if (countdownTimer !== null) clearInterval(countdownTimer);
    countdownTimer = null;
    setConnection('connecting', 'connecting…');
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    let openedAt = null;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      openedAt = performance.now();
      setConnection('open', 'live');
      fetchAlerts(); // transitions missed while disconnected
    });
    ws.addEventListener('message', (ev) => {
      if (socket !== ws || typeof ev.data !== 'string') return;
      try {
        onMessage(ev.data);
      } catch (e) {
        console.error('LossPrism: failed to handle a message', e);
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (openedAt !== null && performance.now() - openedAt >= STABLE_CONNECTION_MS) reconnectAttempts = 0;
      scheduleReconnect();
    });
    ws.addEventListener('error', () => { /* a close event follows */ });
  }

  function scheduleReconnect() {
    if (reconnectTimer !== null) return;
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * Math.pow(2, reconnectAttempts));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    reconnectAttempts++;
    const at = performance.now() + delay;
    const show = () => {
      const seconds = Math.max(1, Math.ceil((at - performance.now()) / 1000));
      setConnection('closed', 'disconnected — retrying in ' + seconds + ' s');
    };
    show();
    countdownTimer = setInterval(show, 1000);
    reconnectTimer = setTimeout(connect, delay);
  }

  // Reconnect at once when the page comes back to the foreground or the network returns.
  function reconnectNow() {
    if (socket !== null || reconnectTimer === null) return;
    clearTimeout(reconnectTimer);
    connect();
  }

  // ---------------------------------------------------------------- charts

  const hasUPlot = typeof window.uPlot === 'function';

  function chartSize(container) {
    const width = Math.max(200, Math.floor(container.clientWidth));
    const height = Math.round(Math.min(280, Math.max(180, width * 0.55)));
    return { width: width, height: height };
  }

  function axisValues(digits) {
    return (u, splits) => splits.map((v) => (v == null ? '' : fmt(v, digits)));
  }

  /** Axis width that fits its longest tick label (uPlot's default is fixed). */
  function axisSize(u, values, axisIdx, cycleNum) {
    const axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    let longest = 0;
    if (values) for (const v of values) longest = Math.max(longest, String(v).length);
    return Math.max(40, Math.ceil(longest * 7.2) + 18);
  }

  function legendValue(digits) {
    return (u, v) => (v == null ? DASH : fmt(v, digits));
  }

  const iterationSeries = { label: 'iteration', value: (u, v) => (v == null ? DASH : String(v)) };

  function baseOptions(container) {
    const size = chartSize(container);
    return {
      width: size.width,
      height: size.height,
      scales: { x: { time: false } },
      cursor: { sync: { key: CURSOR_SYNC_KEY }, points: { size: 6 } },
      legend: { live: true },
    };
  }

  function lossOptions(container) {
    const o = baseOptions(container);
    o.scales.y = { auto: true };
    o.scales.pe = { auto: true };
    o.series = [
      iterationSeries,
      { label: 'loss (DL4J)', scale: 'y', stroke: AGGREGATE_COLOR, width: 2, value: legendValue(4) },
      { label: 'per element', scale: 'pe', stroke: PER_ELEMENT_COLOR, width: 1.5, dash: [5, 4], value: legendValue(4) },
    ];
    o.axes = [
      { label: 'iteration' },
      { scale: 'y', values: axisValues(3), size: axisSize },
      { scale: 'pe', side: 1, grid: { show: false }, values: axisValues(3), size: axisSize, stroke: PER_ELEMENT_COLOR },
    ];
    return o;
  }

  function iouOptions(container) {
    const o = baseOptions(container);
    o.scales.y = { auto: false, range: [0, 1] };
    o.series = [iterationSeries].concat(app.classes.map((name, i) => ({
      label: name,
      stroke: classColor(i),
      dash: classDash(i) || undefined,
      width: 2,
      spanGaps: false,
      value: (u, v) => fixed(v, 3),
    })));
    o.axes = [{ label: 'iteration' }, { values: axisValues(2), size: axisSize }];
    return o;
  }

  function compositionOptions(container) {
    const o = baseOptions(container);
    o.scales.y = {
      range: (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.05 : 1],
    };
    // Series i+1 holds the cumulative sum of classes 0..i; each band fills down to the one below.
    o.series = [iterationSeries].concat(app.classes.map((name, i) => ({
      label: name,
      stroke: classColor(i),
      fill: withAlpha(classColor(i), 0.45),
      width: 1,
      spanGaps: false,
      value: (u, v, si, idx) => {
        const raw = app.charts.composition && app.charts.composition._lpRaw;
        return idx == null || !raw ? DASH : fmt(raw[si - 1][idx], 4);
      },
    })));
    o.bands = [];
    for (let i = 1; i < app.classes.length; i++) o.bands.push({ series: [i + 1, i] });
    o.axes = [{ label: 'iteration' }, { values: axisValues(3), size: axisSize }];
    return o;
  }

  function emptyData(seriesCount) {
    const d = [];
    for (let i = 0; i < seriesCount; i++) d.push([]);
    return d;
  }

  function buildCharts() {
    if (!hasUPlot) return;
    for (const key of Object.keys(app.charts)) {
      if (app.charts[key]) app.charts[key].destroy();
      app.charts[key] = null;
    }
    const n = app.classes.length;
    app.charts.loss = new uPlot(lossOptions(el.lossChart), emptyData(3), el.lossChart);
    app.charts.iou = new uPlot(iouOptions(el.iouChart), emptyData(1 + n), el.iouChart);
    app.charts.composition = new uPlot(compositionOptions(el.compositionChart), emptyData(1 + n), el.compositionChart);
    app.charts.composition._lpRaw = null;
  }

  /**
   * Sets new data; if the user has zoomed in (x range narrower than the previous data), keeps the
   * zoomed x range and re-fits y to it; otherwise fits everything.
   */
  function updateChart(u, data) {
    const prev = u.data && u.data[0];
    const xs = u.scales.x;
    const zoomed = prev && prev.length > 1 && xs.min != null && xs.max != null
      && (xs.min > prev[0] + 1e-9 || xs.max < prev[prev.length - 1] - 1e-9);
    if (zoomed) {
      const min = xs.min;
      const max = xs.max;
      u.setData(data, false);
      u.setScale('x', { min: min, max: max });
    } else {
      u.setData(data);
    }
  }

  function redrawCharts() {
    if (!hasUPlot || !app.charts.loss) return;
    const h = app.history;
    const n = app.classes.length;
    const x = h.column(0);
    updateChart(app.charts.loss, [x, h.column(COL_LOSS), h.column(COL_PER_ELEMENT)]);

    const iou = [x];
    for (let i = 0; i < n; i++) iou.push(h.column(iouCol(i)));
    updateChart(app.charts.iou, iou);

    // stacking: cumulative sums; a missing term leaves a gap from that class upwards
    const raw = [];
    const stacked = [x];
    const acc = new Array(x.length).fill(0);
    for (let i = 0; i < n; i++) {
      const terms = h.column(termCol(i));
      raw.push(terms);
      const cum = new Array(x.length);
      for (let j = 0; j < x.length; j++) {
        const t = terms[j];
        acc[j] = acc[j] === null || t === null ? null : acc[j] + t;
        cum[j] = acc[j];
      }
      stacked.push(cum);
    }
    app.charts.composition._lpRaw = raw;
    updateChart(app.charts.composition, stacked);
  }

  function resizeCharts() {
    if (!hasUPlot) return;
    const pairs = [
      [app.charts.loss, el.lossChart],
      [app.charts.iou, el.iouChart],
      [app.charts.composition, el.compositionChart],
    ];
    for (const [u, container] of pairs) {
      if (!u) continue;
      const size = chartSize(container);
      if (size.width !== u.width || size.height !== u.height) u.setSize(size);
    }
  }

  let resizePending = false;
  function requestResize() {
    if (resizePending) return;
    resizePending = true;
    requestAnimationFrame(() => {
      resizePending = false;
      resizeCharts();
    });
  }

  // ---------------------------------------------------------------- table

  const COLUMNS = ['loss', 'share', 'prevalence', 'meanPositiveLoss', 'iou', 'dice', 'tp', 'fp', 'fn'];

  function buildTable() {
    el.tbody.replaceChildren();
    app.rows = app.classes.map((name, i) => {
      const tr = document.createElement('tr');
      tr.dataset.class = name;
      const th = document.createElement('th');
      th.scope = 'row';
      th.className = 'name';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = classColor(i);
      swatch.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.textContent = name;
      th.append(swatch, label);
      tr.append(th);
      const cells = {};
      for (const col of COLUMNS) {
        const td = document.createElement('td');
        td.dataset.col = col;
        td.textContent = DASH;
        if (col === 'share') {
          const text = document.createElement('span');
          text.className = 'share-text';
          text.textContent = DASH;
          const bar = document.createElement('span');
          bar.className = 'share-bar';
          bar.style.backgroundColor = classColor(i);
          bar.style.width = '0';
          td.replaceChildren(text, bar);
          cells.shareText = text;
          cells.shareBar = bar;
        }
        cells[col] = td;
        tr.append(td);
      }
      el.tbody.append(tr);
      return { tr: tr, cells: cells };
    });
  }

  /** Index of the class with the lowest defined IoU in the latest batch, or -1. */
  function worstIndex(classes) {
    let worst = -1;
    for (let i = 0; i < classes.length; i++) {
      const v = classes[i].iou;
      if (isNum(v) && (worst < 0 || v < classes[worst].iou)) worst = i;
    }
    return worst;
  }

  function renderTable() {
    const latest = app.latest;
    if (!latest) {
      el.tableIteration.textContent = '';
      el.totalLoss.textContent = DASH;
      el.totalNote.textContent = '';
      for (const r of app.rows) r.tr.classList.remove('worst');
      return;
    }
    const msg = latest.msg;
    const worst = worstIndex(latest.classes);
    el.tableIteration.textContent = '(iteration ' + msg.iteration + ', ' + count(msg.images) + ' images)';
    latest.classes.forEach((c, i) => {
      const r = app.rows[i];
      if (!r) return;
      const share = isNum(c.loss) && isNum(msg.loss) && msg.loss !== 0 ? c.loss / msg.loss : null;
      r.cells.loss.textContent = fmt(c.loss, 4);
      r.cells.shareText.textContent = percent(share);
      r.cells.shareBar.style.width = isNum(share)
        ? 'calc((100% - 20px) * ' + Math.max(0, Math.min(1, share)).toFixed(4) + ')'
        : '0';
      r.cells.prevalence.textContent = percent(c.prevalence);
      r.cells.meanPositiveLoss.textContent = fmt(c.meanPositiveLoss, 3);
      r.cells.iou.textContent = fixed(c.iou, 3);
      r.cells.dice.textContent = fixed(c.dice, 3);
      r.cells.tp.textContent = count(c.tp);
      r.cells.fp.textContent = count(c.fp);
      r.cells.fn.textContent = count(c.fn);
      r.tr.classList.toggle('worst', i === worst);
      r.tr.classList.toggle('undefined-iou', !isNum(c.iou));
    });
    el.totalLoss.textContent = fmt(msg.loss, 4);
    const notes = ['mean per element ' + fmt(msg.meanElementLoss, 4)];
    if (isNum(msg.reportedLoss)) notes.push('DL4J reported ' + fmt(msg.reportedLoss, 6));
    if (isNum(msg.residual)) notes.push('residual ' + fmt(msg.residual, 2));
    el.totalNote.textContent = notes.join(' · ');
  }

  // ---------------------------------------------------------------- header and headline

  function renderHeader() {
    const st = app.status;
    el.state.textContent = st.state;
    el.state.dataset.state = st.state;
    const epochs = isNum(st.epochs) ? st.epochs : null;
    const started = st.iteration > 0 || st.state === 'training' || st.state === 'finished';
    const epochShown = started ? (epochs === null ? st.epoch + 1 : Math.min(st.epoch + 1, epochs)) : 0;
    el.epoch.textContent = epochShown + '/' + (epochs === null ? '?' : epochs);
    el.iteration.textContent = String(st.iteration || 0);
    const total = epochs !== null && isNum(st.iterationsPerEpoch) ? epochs * st.iterationsPerEpoch : null;
    el.iteration.title = total === null ? '' : 'of ' + total + ' iterations in the run';
    el.ips.textContent = isNum(st.imagesPerSecond) && st.imagesPerSecond > 0 ? st.imagesPerSecond.toFixed(1) : DASH;

    const notes = [];
    if (st.state === 'failed') notes.push('Training failed' + (st.message ? ': ' + st.message : '.'));
    else if (st.message) notes.push(st.message);
    if (app.versionWarning) notes.push(app.versionWarning);
    if (!hasUPlot) notes.push('Charts unavailable: uPlot could not be loaded from /webjars.');
    el.message.textContent = notes.join(' ');
    el.message.hidden = notes.length === 0;
    el.message.dataset.kind = st.state === 'failed' ? 'error' : 'info';

    const c = app.config;
    const parts = [];
    if (isNum(c.imageSize)) parts.push(c.imageSize + '×' + c.imageSize + ' images');
    if (isNum(c.batchSize)) parts.push('batch ' + c.batchSize);
    if (app.classes.length) parts.push(app.classes.length + ' classes');
    if (isNum(c.iterationsPerEpoch) && c.iterationsPerEpoch > 0) parts.push(c.iterationsPerEpoch + ' iterations/epoch');
    if (c.convention) parts.push('loss convention: ' + c.convention);
    el.config.textContent = parts.join(' · ');
  }

  function strong(text, className) {
    const s = document.createElement('strong');
    s.textContent = text;
    if (className) s.className = className;
    return s;
  }

  /** Appends the most pressing firing alert, if any, to the headline. */
  function headlineAlertPart(nodes) {
    const h = headlineAlert();
    el.headline.dataset.alert = h ? h.alert.alertname : '';
    el.headline.dataset.alertClass = h && h.alert.class !== null ? h.alert.class : '';
    if (!h) return nodes;
    const span = document.createElement('span');
    span.className = 'headline-alert';
    span.dataset.severity = h.alert.severity;
    span.append(' — ', strong('alert:'), ' ' + h.text);
    return nodes.concat([span]);
  }

  function renderHeadline() {
    const latest = app.latest;
    if (!latest) {
      el.headline.replaceChildren(...headlineAlertPart([app.status.state === 'failed'
        ? 'Training failed before the first batch.'
        : 'Waiting for the first training batch…']));
      el.headline.dataset.worst = '';
      return;
    }
    const msg = latest.msg;
    const nodes = [
      'Loss ', strong(fmt(msg.meanElementLoss, 3)), ' per element (',
      strong(fmt(msg.loss, 4)), ' as DL4J reports it)',
    ];
    const worst = worstIndex(latest.classes);
    if (worst < 0) {
      nodes.push(' — IoU is not yet defined for any class.');
    } else {
      const c = latest.classes[worst];
      const name = app.classes[worst] || String(c.name);
      const share = isNum(c.loss) && isNum(msg.loss) && msg.loss !== 0 ? c.loss / msg.loss : null;
      nodes.push(c.iou < 0.5 ? ' — but class ' : ' — lowest IoU: class ');
      nodes.push(strong(name, 'worst-name'));
      nodes.push(' has IoU ', strong(fixed(c.iou, 2)));
      if (isNum(share)) nodes.push(' and makes up ' + percent(share) + ' of the loss');
      nodes.push('.');
    }
    el.headline.replaceChildren(...headlineAlertPart(nodes));
    el.headline.dataset.worst = worst < 0 ? '' : (app.classes[worst] || '');
  }

  // ---------------------------------------------------------------- alerts

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

  function str(v) {
    return v === null || v === undefined ? null : String(v);
  }

  function plainObject(v) {
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
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
        requestRedraw();
      })
      .catch((e) => {
        if (gen !== alerts.fetchGen) return;
        alerts.error = 'Could not load the alerts (' + (e && e.message ? e.message : 'network error')
          + '); showing the changes received live only.';
        alerts.dirty = true;
        requestRedraw();
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

  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

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

  function classButton(a) {
    const cls = classKey(a);
    const b = node('button', 'alert-class', classText(a));
    b.type = 'button';
    b.dataset.focusId = 'class:' + instanceKey(a);
    b.title = 'Highlight ' + classText(a) + ' in the table';
    b.setAttribute('aria-pressed', String(alerts.pinned === cls));
    b.addEventListener('click', (ev) => {
      ev.stopPropagation();
      togglePin(cls);
    });
    return b;
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
      node('span', 'history-class', t.class === null ? 'whole loss' : t.class),
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
    const rows = app.rows.map((r) => ({ tr: r.tr, th: r.tr.querySelector('th'), cls: r.tr.dataset.class }));
    if (el.totalRow) rows.push({ tr: el.totalRow, th: el.totalRow.querySelector('th'), cls: WHOLE_LOSS });
    for (const r of rows) {
      const info = byClass.get(r.cls);
      const state = info ? (info.firing.length ? 'firing' : 'pending') : null;
      r.tr.classList.toggle('alerted', state === 'firing');
      r.tr.classList.toggle('alert-pending', state === 'pending');
      r.tr.classList.toggle('alert-focus', target !== null && target === r.cls);
      if (!r.th) continue;
      let badge = r.th.querySelector('.alert-badge');
      if (!state) {
        if (badge) badge.remove();
        continue;
      }
      if (!badge) {
        badge = node('span', 'alert-badge');
        r.th.append(badge);
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
  }

  function togglePin(cls) {
    alerts.pinned = alerts.pinned === cls ? null : cls;
    for (const b of el.alertsActive.querySelectorAll('button.alert-class')) {
      const li = b.closest('li');
      const itemCls = li && li.dataset.class !== undefined ? li.dataset.class : null;
      b.setAttribute('aria-pressed', String(alerts.pinned !== null && alerts.pinned === itemCls));
    }
    renderRowAlerts();
    if (alerts.pinned === null) return;
    const row = alerts.pinned === WHOLE_LOSS
      ? el.totalRow
      : (app.rows.find((r) => r.tr.dataset.class === alerts.pinned) || {}).tr;
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
          redraw();
        }
      };
      requestAnimationFrame(once);
      setTimeout(once, FRAME_FALLBACK_MS);
    }, wait);
  }

  function redraw() {
    redrawPending = false;
    lastRedraw = performance.now();
    try {
      renderHeader();
      renderHeadline();
      renderTable();
      renderAlerts();
      renderRowAlerts();
      redrawCharts();
    } catch (e) {
      console.error('LossPrism: redraw failed', e);
    }
    document.body.dataset.batches = String(app.batches);
  }

  // ---------------------------------------------------------------- start

  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(requestResize);
    observer.observe(el.lossChart);
    observer.observe(el.iouChart);
    observer.observe(el.compositionChart);
  }
  window.addEventListener('resize', requestResize);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      reconnectNow();
      requestRedraw();
    }
  });
  window.addEventListener('online', reconnectNow);

  buildCharts();
  fetchStatus();
  fetchAlerts();
  connect();
  requestRedraw();
})();
