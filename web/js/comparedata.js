/*
 * The data of the compare view, without the DOM: the runs of GET /api/compare in one checked form,
 * their per-class series aligned on one iteration axis for drawing (a run without a value at an
 * iteration leaves a gap, never a made-up point), each run's class terms stacked, and the table of each
 * class's value per run at one iteration with its difference to the first run, rarest class first.
 */

import { isNum, plainObject, str } from './util.js';

export const METRICS = ['iou', 'dice'];

/** One line style per run (solid, dashed, dotted, ...): colours stay with the classes. */
export const RUN_DASHES = [null, [9, 4], [2, 3], [12, 3, 2, 3], [4, 4], [16, 4, 2, 4, 2, 4]];

export function runDash(i) {
  return RUN_DASHES[i % RUN_DASHES.length];
}

function num(v) {
  return isNum(v) ? v : null;
}

function numbers(v, n) {
  const out = new Array(n).fill(null);
  if (Array.isArray(v)) for (let i = 0; i < n && i < v.length; i++) out[i] = num(v[i]);
  return out;
}

/**
 * A run's per-class series as {classes: [name], iterations: [it], values: {iou, dice, loss}: [class][j]},
 * iterations ascending, only those where the run has a value. Accepts the series per class
 * ({name, iou: [], dice: [], loss: []} under `series.classes` or `classes`, on the run's `iterations` or
 * the answer's shared axis `axis`; or {name, points: [{iteration, iou, dice, loss}]}) or per point
 * ([{iteration, classes: [...]}]).
 */
export function runSeries(run, axis) {
  const perClass = Array.isArray(run.classes) ? run.classes : plainObject(run.series) && run.series.classes;
  const perPoint = Array.isArray(run.series) ? run.series : Array.isArray(run.points) ? run.points : null;
  const names = [];
  const byIteration = new Map(); // iteration → {class name → {iou, dice, loss}}
  const put = (it, name, c) => {
    if (!isNum(it)) return;
    if (!names.includes(name)) names.push(name);
    if (!byIteration.has(it)) byIteration.set(it, new Map());
    byIteration.get(it).set(name, { iou: num(c.iou), dice: num(c.dice), loss: num(c.loss) });
  };
  if (Array.isArray(perClass)) {
    const shared = Array.isArray(run.iterations) ? run.iterations
      : plainObject(run.series) && Array.isArray(run.series.iterations) ? run.series.iterations
        : Array.isArray(axis) ? axis : [];
    perClass.forEach((c, k) => {
      if (typeof c === 'string') { // names only
        if (!names.includes(c)) names.push(c);
        return;
      }
      if (!plainObject(c)) return;
      const name = c.name == null ? 'class ' + k : String(c.name);
      if (!names.includes(name)) names.push(name);
      if (Array.isArray(c.points)) {
        for (const p of c.points) if (plainObject(p)) put(p.iteration, name, p);
        return;
      }
      const its = Array.isArray(c.iterations) ? c.iterations : shared;
      const iou = numbers(c.iou, its.length);
      const dice = numbers(c.dice, its.length);
      const loss = numbers(c.loss !== undefined ? c.loss : c.term, its.length);
      its.forEach((it, j) => put(it, name, { iou: iou[j], dice: dice[j], loss: loss[j] }));
    });
  }
  if (perPoint) {
    for (const p of perPoint) {
      if (!plainObject(p) || !Array.isArray(p.classes)) continue;
      p.classes.forEach((c, k) => {
        if (plainObject(c)) put(p.iteration, c.name == null ? 'class ' + k : String(c.name), c);
      });
    }
  }
  // on a shared axis a run has nulls where only other runs reported: those are not its points
  const iterations = Array.from(byIteration.keys()).filter((it) => Array.from(byIteration.get(it).values())
    .some((v) => v.iou !== null || v.dice !== null || v.loss !== null)).sort((a, b) => a - b);
  const values = { iou: [], dice: [], loss: [] };
  for (const name of names) {
    for (const key of Object.keys(values)) {
      values[key].push(iterations.map((it) => {
        const v = byIteration.get(it).get(name);
        return v ? v[key] : null;
      }));
    }
  }
  return { classes: names, iterations: iterations, values: values };
}

/** [{key, values: [one per run]}] from {key: [..]}, {key: {runId: v}} or [{key, values}]. */
export function configDifferences(diff, ids) {
  const out = [];
  const add = (key, v) => {
    if (Array.isArray(v)) out.push({ key: key, values: ids.map((_, i) => (i < v.length ? v[i] : undefined)) });
    else if (plainObject(v)) out.push({ key: key, values: ids.map((id) => v[id]) });
  };
  if (Array.isArray(diff)) {
    for (const d of diff) if (plainObject(d) && d.key != null) add(String(d.key), d.values !== undefined ? d.values : d.runs);
  } else if (plainObject(diff)) {
    for (const key of Object.keys(diff)) add(key, diff[key]);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A configuration value as the page shows it ("(default)" for a key the run left at its default). */
export function valueText(v) {
  if (v === undefined || v === null) return '(default)';
  if (Array.isArray(v)) return '[' + v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') + ']';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The body of GET /api/compare in one form: {split, latestCommon, runs: [...], differences: [...]}. */
export function normCompare(body) {
  const o = plainObject(body) || {};
  const axis = Array.isArray(o.iterations) ? o.iterations : null;
  const runs = (Array.isArray(o.runs) ? o.runs : []).filter((r) => plainObject(r) && r.id != null).map((r) => {
    const s = runSeries(r, axis);
    return {
      id: String(r.id),
      name: str(r.name) || '',
      state: str(r.state) || '',
      config: plainObject(r.config) || {},
      lossSpec: plainObject(r.lossSpec) || plainObject(r.loss), // the trained loss, else as configured
      latestIteration: num(r.latestIteration) !== null ? r.latestIteration
        : s.iterations.length ? s.iterations[s.iterations.length - 1] : null,
      classes: s.classes,
      iterations: s.iterations,
      values: s.values,
    };
  });
  const ids = runs.map((r) => r.id);
  return {
    split: o.split === 'validation' ? 'validation' : 'train',
    latestCommon: num(o.latestCommonIteration),
    runs: runs,
    differences: configDifferences(o.configDifferences, ids),
  };
}

/** The class names of all runs, first run's order first. */
export function allClasses(runs) {
  const names = [];
  for (const r of runs) for (const c of r.classes) if (!names.includes(c)) names.push(c);
  return names;
}

/**
 * uPlot data for the curves: [x, ...one series per (run, shown class)] on the union of the runs'
 * iterations, null where a run has no point; and which run and class each series is.
 */
export function alignSeries(runs, classes, metric) {
  const key = METRICS.includes(metric) ? metric : 'iou';
  const all = new Set();
  for (const r of runs) for (const it of r.iterations) all.add(it);
  const x = Array.from(all).sort((a, b) => a - b);
  const at = new Map(x.map((it, j) => [it, j]));
  const data = [x];
  const series = [];
  runs.forEach((r, ri) => {
    for (const name of classes) {
      const ci = r.classes.indexOf(name);
      if (ci < 0) continue;
      const ys = new Array(x.length).fill(null);
      r.iterations.forEach((it, j) => {
        ys[at.get(it)] = r.values[key][ci][j];
      });
      data.push(ys);
      series.push({ run: ri, runId: r.id, cls: name });
    }
  });
  return { data: data, series: series };
}

/** A run's class terms stacked bottom to top in class order: [x, cum_0, cum_1, ...]; a gap stays a gap upwards. */
export function stackTerms(run) {
  const x = run.iterations.slice();
  const out = [x];
  const acc = new Array(x.length).fill(0);
  for (const terms of run.values.loss) {
    const cum = new Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const v = terms[j];
      acc[j] = acc[j] === null || v === null || v === undefined ? null : acc[j] + v;
      cum[j] = acc[j];
    }
    out.push(cum);
  }
  return out;
}

/** The latest iteration every run has reached (the server's if it says, else the smallest latest). */
export function latestCommon(compare) {
  if (compare.latestCommon !== null) return compare.latestCommon;
  let common = null;
  for (const r of compare.runs) {
    if (r.latestIteration === null) return null;
    common = common === null ? r.latestIteration : Math.min(common, r.latestIteration);
  }
  return common;
}

function classOf(report, name) {
  if (!report || !Array.isArray(report.classes)) return null;
  return report.classes.find((c) => c && String(c.name) === name) || null;
}

/**
 * The table at one iteration: per class {name, prevalence, values: [per run], diffs: [per run, null for
 * the first]}, from each run's report there (null where a run has none). The rarest class (lowest
 * prevalence in the first run's report) comes first; then the worst value of the first run.
 */
export function compareTable(classes, reports, metric) {
  const key = METRICS.includes(metric) ? metric : 'iou';
  const rows = classes.map((name, index) => {
    const values = reports.map((rep) => {
      const c = classOf(rep, name);
      return c ? num(c[key]) : null;
    });
    const base = values[0];
    const prevalenceOf = reports.map((rep) => num((classOf(rep, name) || {}).prevalence)).find((p) => p !== null);
    return {
      name: name,
      index: index,
      prevalence: prevalenceOf === undefined ? null : prevalenceOf,
      values: values,
      diffs: values.map((v, i) => (i === 0 || v === null || base === null ? null : v - base)),
    };
  });
  return rows.sort((a, b) => {
    if (a.prevalence !== b.prevalence) {
      if (a.prevalence === null) return 1;
      if (b.prevalence === null) return -1;
      return a.prevalence - b.prevalence;
    }
    const va = a.values[0];
    const vb = b.values[0];
    if (va !== vb && va !== null && vb !== null) return va - vb;
    return a.index - b.index;
  });
}
