/*
 * The three uPlot charts: aggregate loss (train and validation), IoU or Dice per class with the
 * micro, macro and frequency-weighted averages, and the loss composition (stacked class terms,
 * optionally split into positive- and negative-pixel parts). uPlot draws everything; this module only
 * prepares options and data.
 */

import { DASH, classColor, classDash, fixed, fmt, isNum, withAlpha } from './util.js';

const CURSOR_SYNC_KEY = 'lossprism';
const AGGREGATE_COLOR = '#1d2430';
const PER_ELEMENT_COLOR = '#6b7485';
const VALIDATION_COLOR = '#CC79A7';
const DIMMED = 0.2;

const AVERAGES = [
  { key: 'micro', label: 'micro avg (dashed)', stroke: '#000000', dash: [7, 3], width: 2.5 },
  { key: 'macro', label: 'macro avg (dotted)', stroke: '#000000', dash: [1.5, 3], width: 2.5 },
  { key: 'frequencyWeighted', label: 'freq.-weighted avg (dash-dot)', stroke: '#6b7485', dash: [10, 3, 2, 3], width: 2.5 },
];

function uPlotReady() {
  return typeof window.uPlot === 'function';
}

function chartSize(container) {
  const width = Math.max(200, Math.floor(container.clientWidth));
  const height = Math.round(Math.min(280, Math.max(190, width * 0.55)));
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
  return Math.max(36, Math.ceil(longest * 7.2) + 16);
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

/** A hatch for the negative-pixel parts, so they differ from the positive parts by more than shade. */
function hatchPattern(colour) {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  const g = c.getContext('2d');
  g.fillStyle = withAlpha(colour, 0.14);
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = withAlpha(colour, 0.75);
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(-2, 10);
  g.lineTo(10, -2);
  g.moveTo(-2, 2);
  g.lineTo(2, -2);
  g.moveTo(6, 10);
  g.lineTo(10, 6);
  g.stroke();
  return g.createPattern(c, 'repeat');
}

// ---------------------------------------------------------------- options

function lossOptions(container) {
  const o = baseOptions(container);
  o.scales.y = { auto: true };
  o.scales.pe = { auto: true };
  o.series = [
    iterationSeries,
    { label: 'train loss', scale: 'y', stroke: AGGREGATE_COLOR, width: 2, value: legendValue(4) },
    { label: 'train per element', scale: 'pe', stroke: PER_ELEMENT_COLOR, width: 1.5, dash: [5, 4], value: legendValue(4) },
    {
      label: 'validation loss', scale: 'y', stroke: VALIDATION_COLOR, width: 2, dash: [2, 2], spanGaps: true,
      points: { show: true, size: 7, fill: VALIDATION_COLOR }, value: legendValue(4),
    },
  ];
  o.axes = [
    { label: 'iteration' },
    { scale: 'y', values: axisValues(3), size: axisSize },
    { scale: 'pe', side: 1, grid: { show: false }, values: axisValues(3), size: axisSize, stroke: PER_ELEMENT_COLOR },
  ];
  return o;
}

function metricOptions(container, classes, metric) {
  const o = baseOptions(container);
  o.scales.y = { auto: false, range: [0, 1] };
  const digits = (u, v) => fixed(v, 3);
  o.series = [iterationSeries]
    .concat(classes.map((name, i) => ({
      label: name, stroke: classColor(i), dash: classDash(i) || undefined, width: 2, spanGaps: false, value: digits,
    })))
    .concat(AVERAGES.map((a) => ({
      label: a.label, stroke: a.stroke, dash: a.dash, width: a.width, spanGaps: false, value: digits,
    })));
  o.axes = [{ label: 'iteration' }, { values: axisValues(2), size: axisSize, label: metric === 'dice' ? 'Dice' : 'IoU' }];
  return o;
}

/** Stacked series: bottom to top class 0..n-1, each either whole or as its positive then negative part. */
export function compositionLayers(classes, posneg) {
  const layers = [];
  classes.forEach((name, i) => {
    if (posneg) {
      layers.push({ cls: i, part: 'positive', label: name + ' +' });
      layers.push({ cls: i, part: 'negative', label: name + ' −' });
    } else {
      layers.push({ cls: i, part: 'term', label: name });
    }
  });
  return layers;
}

function compositionOptions(container, classes, posneg, rawOf, hatch) {
  const o = baseOptions(container);
  o.scales.y = { range: (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.05 : 1] };
  const layers = compositionLayers(classes, posneg);
  o.series = [iterationSeries].concat(layers.map((l, k) => {
    const colour = classColor(l.cls);
    return {
      label: l.label,
      stroke: colour,
      fill: l.part === 'negative' ? () => hatch(colour) : withAlpha(colour, l.part === 'positive' ? 0.75 : 0.45),
      width: 1,
      spanGaps: false,
      value: (u, v, si, idx) => {
        const raw = rawOf();
        return idx == null || !raw || !raw[k] ? DASH : fmt(raw[k][idx], 4);
      },
    };
  }));
  o.series.push({ label: 'aggregate loss', stroke: AGGREGATE_COLOR, width: 1.5, dash: [4, 3], value: legendValue(4) });
  o.bands = [];
  for (let s = 2; s <= layers.length; s++) o.bands.push({ series: [s, s - 1] });
  o.axes = [{ label: 'iteration' }, { values: axisValues(3), size: axisSize }];
  return o;
}

/**
 * uPlot's legend entries toggle their series on click; make them keyboard controls too: focusable
 * buttons that say whether their series is shown, operated with Enter or Space.
 */
function keyboardLegend(u) {
  const entries = u.root.querySelectorAll('.u-legend .u-series');
  entries.forEach((tr, si) => {
    if (si === 0) return; // the x value, not a series
    const label = tr.querySelector('th');
    if (!label) return;
    label.tabIndex = 0;
    label.setAttribute('role', 'button');
    label.setAttribute('aria-pressed', String(u.series[si].show !== false));
    label.title = 'Show or hide this series';
    label.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        label.click();
      }
    });
    label.addEventListener('click', () => {
      label.setAttribute('aria-pressed', String(u.series[si].show !== false));
    });
  });
}

/** The drawing is an image to assistive technology, named by its container's data-label. */
function describeCanvas(u) {
  const canvas = u.root.querySelector('canvas');
  const label = u.root.parentElement && u.root.parentElement.dataset.label;
  if (!canvas || !label) return;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label + ' (the table below has the latest values)');
}

// ---------------------------------------------------------------- data

function lossData(train, validation) {
  const t = [train.column((r) => r.iteration), train.column((r) => r.loss), train.column((r) => r.meanElementLoss)];
  const v = [validation.column((r) => r.iteration), validation.column((r) => r.loss)];
  if (v[0].length === 0) return t.concat([new Array(t[0].length).fill(undefined)]);
  if (t[0].length === 0) return [v[0], new Array(v[0].length).fill(undefined), new Array(v[0].length).fill(undefined), v[1]];
  return window.uPlot.join([t, v]);
}

export function metricData(store, n, metric) {
  const data = [store.column((r) => r.iteration)];
  const key = metric === 'dice' ? 'dice' : 'iou';
  const avg = metric === 'dice' ? 'diceAvg' : 'iouAvg';
  for (let i = 0; i < n; i++) data.push(store.column((r) => (r[key][i] === undefined ? null : r[key][i])));
  for (const a of AVERAGES) data.push(store.column((r) => r[avg][a.key]));
  return data;
}

/** Cumulative sums of the layers (a missing value leaves a gap from that layer upwards), and the raw values. */
export function compositionData(store, layers) {
  const x = store.column((r) => r.iteration);
  const raw = [];
  const stacked = [x];
  const acc = new Array(x.length).fill(0);
  for (const l of layers) {
    const part = l.part === 'term' ? 'terms' : l.part;
    const values = store.column((r) => (r[part][l.cls] === undefined ? null : r[part][l.cls]));
    raw.push(values);
    const cum = new Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const v = values[j];
      acc[j] = acc[j] === null || v === null ? null : acc[j] + v;
      cum[j] = acc[j];
    }
    stacked.push(cum);
  }
  stacked.push(store.column((r) => r.loss));
  return { stacked: stacked, raw: raw };
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

function emptyData(seriesCount) {
  const d = [];
  for (let i = 0; i < seriesCount; i++) d.push([]);
  return d;
}

// ---------------------------------------------------------------- the charts

/** els: {loss, metric, composition} containers. */
export function createCharts(els) {
  const charts = { loss: null, metric: null, composition: null };
  let shape = null; // what the charts were built for
  let drawn = null; // what the data was last drawn from
  let compositionRaw = null;
  let highlighted = null;
  const hatches = new Map(); // colour → its canvas pattern, made once

  function hatch(colour) {
    if (!hatches.has(colour)) hatches.set(colour, hatchPattern(colour));
    return hatches.get(colour);
  }

  function destroy() {
    for (const key of Object.keys(charts)) {
      if (charts[key]) charts[key].destroy();
      charts[key] = null;
    }
  }

  function build(view) {
    destroy();
    const n = view.classes.length;
    charts.loss = new window.uPlot(lossOptions(els.loss), emptyData(4), els.loss);
    charts.metric = new window.uPlot(metricOptions(els.metric, view.classes, view.metric),
      emptyData(1 + n + AVERAGES.length), els.metric);
    const layers = compositionLayers(view.classes, view.posneg).length;
    charts.composition = new window.uPlot(compositionOptions(els.composition, view.classes, view.posneg,
      () => compositionRaw, hatch), emptyData(2 + layers), els.composition);
    for (const key of Object.keys(charts)) {
      keyboardLegend(charts[key]);
      describeCanvas(charts[key]);
    }
    shape = JSON.stringify([view.classes, view.metric, view.posneg]);
    drawn = null;
    highlighted = null;
  }

  function markPoints(container, points) {
    container.dataset.points = String(points);
  }

  /** Dims every series that does not belong to class index h (null: none dimmed). */
  function applyHighlight(h, view) {
    if (h === highlighted) return;
    highlighted = h;
    const mark = h === null ? '' : view.classes[h];
    els.metric.dataset.highlight = mark;
    els.composition.dataset.highlight = mark;
    const n = view.classes.length;
    const metricAlpha = (si) => (h === null || si - 1 === h ? 1 : DIMMED);
    charts.metric.series.forEach((s, si) => {
      if (si > 0) s.alpha = si <= n ? metricAlpha(si) : (h === null ? 1 : DIMMED);
    });
    const layers = compositionLayers(view.classes, view.posneg);
    charts.composition.series.forEach((s, si) => {
      if (si === 0) return;
      const l = layers[si - 1];
      s.alpha = h === null || (l && l.cls === h) ? 1 : DIMMED;
    });
    charts.metric.redraw(false);
    charts.composition.redraw(false);
  }

  return {
    available: uPlotReady,

    /**
     * view: {classes, split, metric, posneg, highlight (class index or null), stores: {train, validation}}.
     * Rebuilds when the series change, redraws only when data or view changed.
     */
    update(view) {
      if (!uPlotReady()) return false;
      const wanted = JSON.stringify([view.classes, view.metric, view.posneg]);
      if (wanted !== shape) build(view);
      const train = view.stores.train;
      const validation = view.stores.validation;
      const store = view.stores[view.split];
      const key = [train.version, validation.version, view.split].join(':');
      const changed = key !== drawn;
      if (changed) {
        drawn = key;
        const loss = lossData(train, validation);
        updateChart(charts.loss, loss);
        markPoints(els.loss, loss[0].length);
        updateChart(charts.metric, metricData(store, view.classes.length, view.metric));
        markPoints(els.metric, store.length);
        const comp = compositionData(store, compositionLayers(view.classes, view.posneg));
        compositionRaw = comp.raw;
        updateChart(charts.composition, comp.stacked);
        markPoints(els.composition, store.length);
      }
      applyHighlight(view.highlight, view);
      return changed;
    },

    /** Whether update() would draw new data. */
    stale(view) {
      const key = [view.stores.train.version, view.stores.validation.version, view.split].join(':');
      return key !== drawn || JSON.stringify([view.classes, view.metric, view.posneg]) !== shape;
    },

    resize() {
      if (!uPlotReady()) return;
      for (const [key, container] of [['loss', els.loss], ['metric', els.metric], ['composition', els.composition]]) {
        const u = charts[key];
        if (!u) continue;
        const size = chartSize(container);
        if (size.width !== u.width || size.height !== u.height) u.setSize(size);
      }
    },
  };
}
