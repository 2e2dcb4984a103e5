/*
 * The compare view (/?compare=a,b[,...]): 2 to 6 runs side by side from GET /api/compare. Per-class IoU
 * or Dice curves (one colour per class, one line style per run) on one iteration axis, with a split
 * chooser and a class filter; each run's class terms stacked in its own loss; the configuration keys
 * that differ; and a table of each class's value per run at the latest common iteration (or one the
 * user picks), read from each run's stored report there, with the difference to the first run.
 */

import { DASH, classColor, fixed, fmt, node, setText, withAlpha } from './util.js';
import { getJson } from './api.js';
import { MAX_COMPARE, MIN_COMPARE, compareUrl, runUrl } from './pages.js';
import { lossText } from './runstable.js';
import {
  alignSeries, allClasses, compareTable, latestCommon, normCompare, runDash, stackTerms, valueText,
} from './comparedata.js';

const POINTS = 400;
const REFRESH_MS = 5000;
const ACTIVE = ['starting', 'training', 'paused'];
/** Iterations are whole numbers: ticks at 1, 2, 5, 10, 20, 50, ... apart, never 1.25. */
const ITERATION_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p)).sort((a, b) => a - b);
const ITERATION_AXIS = { label: 'iteration', incrs: ITERATION_STEPS };

function signed(v) {
  if (v === null) return DASH;
  const t = fixed(v, 3);
  return v > 0 ? '+' + t : t;
}

/** A short line drawn in a run's style, for legends. */
function lineSample(runIndex, colour) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '36');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(ns, 'line');
  line.setAttribute('x1', '0');
  line.setAttribute('y1', '5');
  line.setAttribute('x2', '36');
  line.setAttribute('y2', '5');
  line.setAttribute('stroke', colour || '#1d2430');
  line.setAttribute('stroke-width', '2');
  const dash = runDash(runIndex);
  if (dash) line.setAttribute('stroke-dasharray', dash.join(' '));
  svg.append(line);
  return svg;
}

function chartWidth(container) {
  return Math.max(240, Math.floor(container.clientWidth));
}

/** els: see index.html's #compare-page; ids: the run ids of the address; split: its split. */
export function createCompareView(els, ids, split) {
  const view = { split: split, metric: 'iou', hidden: new Set(), iteration: null, picked: false };
  let data = null; // normCompare of the latest answer
  let curves = null;
  let compositions = [];
  let timer = null;
  let tableGen = 0;

  function say(text, kind) {
    setText(els.status, text);
    els.status.dataset.kind = kind || 'info';
  }

  function runLabel(r) {
    return r.name || r.id;
  }

  async function load() {
    if (ids.length < MIN_COMPARE || ids.length > MAX_COMPARE) {
      say('Compare needs ' + MIN_COMPARE + ' to ' + MAX_COMPARE + ' run ids, got ' + ids.length + ': /?compare=<id>,<id>[,...]', 'error');
      return;
    }
    const url = '/api/compare?runs=' + ids.map(encodeURIComponent).join(',') + '&split=' + view.split + '&points=' + POINTS;
    const answer = await getJson(url);
    if (!answer.ok) {
      say(answer.error, 'error'); // the server names the unknown id or the limit
      return;
    }
    data = normCompare(answer.data);
    say('', 'info');
    if (!view.picked) view.iteration = latestCommon(data);
    render();
    schedule();
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = data && data.runs.some((r) => ACTIVE.includes(r.state)) ? setTimeout(load, REFRESH_MS) : null;
  }

  function renderRuns() {
    els.runs.replaceChildren(...data.runs.map((r, i) => {
      const li = node('li', 'compare-run');
      li.dataset.run = r.id;
      const link = node('a', null, runLabel(r));
      link.href = runUrl(r, null);
      li.append(lineSample(i), link);
      if (r.name) li.append(node('span', 'muted', ' ' + r.id));
      const facts = [];
      if (r.state) facts.push(r.state);
      if (r.latestIteration !== null) facts.push('latest iteration ' + r.latestIteration);
      const loss = lossText(r.lossSpec);
      if (loss) facts.push(loss);
      if (i === 0) facts.push('baseline');
      li.append(node('span', 'muted', ' · ' + facts.join(' · ')));
      return li;
    }));
    document.title = 'LossPrism · compare ' + data.runs.map(runLabel).join(' / ');
  }

  function renderClassFilter(classes) {
    const legend = els.classes.querySelector('legend');
    const boxes = classes.map((name, i) => {
      const label = node('label', 'class-pick');
      const box = node('input');
      box.type = 'checkbox';
      box.value = name;
      box.checked = !view.hidden.has(name);
      box.addEventListener('change', () => {
        if (box.checked) view.hidden.delete(name);
        else view.hidden.add(name);
        renderCurves();
      });
      const swatch = node('span', 'swatch');
      swatch.style.backgroundColor = classColor(i);
      label.append(box, swatch, node('span', null, name));
      return label;
    });
    els.classes.replaceChildren(legend, ...boxes);
  }

  function renderDifferences() {
    const table = els.diff;
    const head = node('thead');
    const hr = node('tr');
    hr.append(node('th', null, 'key'));
    data.runs.forEach((r) => hr.append(node('th', null, runLabel(r))));
    head.append(hr);
    const body = node('tbody');
    if (!data.differences.length) {
      const tr = node('tr');
      const td = node('td', 'muted', 'The runs have the same configuration.');
      td.colSpan = data.runs.length + 1;
      tr.append(td);
      body.append(tr);
    }
    for (const d of data.differences) {
      const tr = node('tr');
      tr.dataset.key = d.key;
      const th = node('th', 'key', d.key);
      th.scope = 'row';
      tr.append(th, ...d.values.map((v) => node('td', v === undefined || v === null ? 'muted' : null, valueText(v))));
      body.append(tr);
    }
    table.replaceChildren(head, body);
  }

  function renderCurves() {
    if (typeof window.uPlot !== 'function') return;
    const classes = allClasses(data.runs);
    const shown = classes.filter((c) => !view.hidden.has(c));
    const aligned = alignSeries(data.runs, shown, view.metric);
    if (curves) curves.destroy();
    const series = [{ label: 'iteration' }].concat(aligned.series.map((s) => ({
      label: s.cls + ' · ' + runLabel(data.runs[s.run]),
      stroke: classColor(classes.indexOf(s.cls)),
      dash: runDash(s.run) || undefined,
      width: 2,
      spanGaps: true, // runs are aligned on the union of iterations: join a run's own points
      value: (u, v) => fixed(v, 3),
    })));
    curves = new window.uPlot({
      width: chartWidth(els.chart),
      height: 320,
      scales: { x: { time: false }, y: { auto: false, range: [0, 1] } },
      series: series,
      axes: [ITERATION_AXIS, { label: view.metric === 'dice' ? 'Dice' : 'IoU' }],
      legend: { live: true },
    }, aligned.data, els.chart);
    els.chart.dataset.series = String(aligned.series.length);
    els.chart.dataset.runs = String(new Set(aligned.series.map((s) => s.runId)).size);
    els.chart.dataset.points = String(aligned.data[0].length);
    setText(els.legend, 'One colour per class, one line style per run: '
      + data.runs.map((r, i) => ['solid', 'dashed', 'dotted', 'dash-dot', 'short dashes', 'long dash-dot-dot'][i % 6] + ' ' + runLabel(r)).join(', ') + '.');
  }

  function renderCompositions() {
    for (const u of compositions) u.destroy();
    compositions = [];
    if (typeof window.uPlot !== 'function') return;
    els.compositions.replaceChildren();
    data.runs.forEach((r, i) => {
      const fig = node('figure', 'compare-composition');
      fig.dataset.run = r.id;
      const cap = node('figcaption');
      cap.append(lineSample(i), node('strong', null, ' ' + runLabel(r)), node('span', 'muted', ' ' + (lossText(r.lossSpec) || '')));
      const box = node('div', 'chart');
      fig.append(cap, box);
      els.compositions.append(fig);
      const stacked = stackTerms(r);
      const series = [{ label: 'iteration' }].concat(r.classes.map((name, ci) => ({
        label: name,
        stroke: classColor(ci),
        fill: withAlpha(classColor(ci), 0.5),
        width: 1,
        value: (u, v, si, idx) => (idx == null ? DASH : fmt(r.values.loss[ci][idx], 4)),
      })));
      const bands = [];
      for (let s = 2; s <= r.classes.length; s++) bands.push({ series: [s, s - 1] });
      compositions.push(new window.uPlot({
        width: chartWidth(box),
        height: 200,
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } },
        series: series,
        bands: bands,
        axes: [ITERATION_AXIS, {}],
        legend: { live: true },
      }, stacked, box));
      box.dataset.points = String(stacked[0].length);
    });
  }

  async function renderTable() {
    const gen = ++tableGen;
    const it = view.iteration;
    setText(els.tableIteration, it === null ? DASH : String(it));
    if (document.activeElement !== els.iteration) els.iteration.value = it === null ? '' : String(it);
    if (it === null) {
      els.table.replaceChildren();
      return;
    }
    const answers = await Promise.all(data.runs.map((r) => getJson('/api/runs/' + encodeURIComponent(r.id)
      + '/reports?split=' + view.split + '&after=' + Math.max(0, it - 1) + '&limit=1')));
    if (gen !== tableGen) return; // a newer table is on its way
    const reports = answers.map((a) => (a.ok && a.data && Array.isArray(a.data.reports) && a.data.reports.length ? a.data.reports[0] : null));
    const rows = compareTable(allClasses(data.runs), reports, view.metric);
    const head = node('thead');
    const hr = node('tr');
    const first = node('th', 'name', 'class');
    first.scope = 'col';
    hr.append(first);
    data.runs.forEach((r, i) => {
      const th = node('th', 'num', runLabel(r));
      th.scope = 'col';
      const at = reports[i] ? reports[i].iteration : null;
      if (at !== it) th.append(node('span', 'muted', at === null ? ' (no report)' : ' (it. ' + at + ')'));
      hr.append(th);
      if (i > 0) {
        const d = node('th', 'num diff', 'Δ vs ' + runLabel(data.runs[0]));
        d.scope = 'col';
        hr.append(d);
      }
    });
    head.append(hr);
    const body = node('tbody');
    for (const row of rows) {
      const tr = node('tr');
      tr.dataset.class = row.name;
      const th = node('th', 'name', row.name);
      th.scope = 'row';
      if (row.prevalence !== null) th.title = 'share of positive pixels ' + (row.prevalence * 100).toPrecision(3) + '%';
      tr.append(th);
      row.values.forEach((v, i) => {
        const td = node('td', 'num', fixed(v, 3));
        td.dataset.run = data.runs[i].id;
        td.dataset.value = v === null ? '' : String(v);
        tr.append(td);
        if (i > 0) {
          const d = row.diffs[i];
          const dd = node('td', 'num diff', signed(d));
          dd.dataset.run = data.runs[i].id;
          dd.dataset.diff = d === null ? '' : String(d);
          if (d !== null) dd.dataset.sign = d > 0 ? 'up' : d < 0 ? 'down' : 'same';
          tr.append(dd);
        }
      });
      body.append(tr);
    }
    els.table.replaceChildren(head, body);
    els.table.dataset.iteration = String(it);
    els.table.dataset.metric = view.metric;
  }

  function render() {
    renderRuns();
    renderClassFilter(allClasses(data.runs));
    renderDifferences();
    renderCurves();
    renderCompositions();
    renderTable();
    els.root.dataset.loaded = 'true';
  }

  els.split.addEventListener('change', (ev) => {
    if (ev.target.name !== 'compare-split') return;
    view.split = ev.target.value === 'validation' ? 'validation' : 'train';
    view.picked = false;
    window.history.replaceState(window.history.state, '', compareUrl(ids, view.split));
    load();
  });
  els.metric.addEventListener('change', (ev) => {
    if (ev.target.name !== 'compare-metric') return;
    view.metric = ev.target.value === 'dice' ? 'dice' : 'iou';
    if (data) {
      renderCurves();
      renderTable();
    }
  });
  els.iteration.addEventListener('change', () => {
    const v = Number(els.iteration.value);
    if (!Number.isInteger(v) || v < 0 || !data) return;
    view.iteration = v;
    view.picked = true;
    renderTable();
  });
  els.latest.addEventListener('click', () => {
    if (!data) return;
    view.picked = false;
    view.iteration = latestCommon(data);
    renderTable();
  });
  window.addEventListener('resize', () => {
    if (!data) return;
    if (curves) curves.setSize({ width: chartWidth(els.chart), height: 320 });
    compositions.forEach((u) => u.setSize({ width: chartWidth(u.root.parentElement), height: 200 }));
  });

  for (const input of els.split.querySelectorAll('input')) input.checked = input.value === view.split;

  return { start: load };
}
