/*
 * The reports of one split, sorted by iteration, one per iteration, in compact rows.
 *
 * History messages (on connect, after a reconnect, after the server conflated a slow client) and live
 * batches are merged by iteration: a report for an iteration already held replaces it, so a gap fill
 * that overlaps what the page has never makes duplicates. Memory is bounded: past MAX_POINTS rows, the
 * older half is thinned to every second row (the newest rows keep full resolution; repeated thinning
 * makes the oldest part ever coarser).
 */

import { isNum } from './util.js';
import { reportAverages, sortedClasses } from './metrics.js';

export const MAX_POINTS = 20000;

function numOrNull(v) {
  return isNum(v) ? v : null;
}

/** The compact form of one batch report that the charts need. */
export function toRow(msg) {
  const classes = sortedClasses(msg);
  return {
    iteration: msg.iteration,
    epoch: numOrNull(msg.epoch),
    loss: numOrNull(msg.loss),
    meanElementLoss: numOrNull(msg.meanElementLoss),
    imagesPerSecond: numOrNull(msg.imagesPerSecond),
    terms: classes.map((c) => numOrNull(c.loss)),
    positive: classes.map((c) => numOrNull(c.positiveLoss)),
    negative: classes.map((c) => numOrNull(c.negativeLoss)),
    iou: classes.map((c) => numOrNull(c.iou)),
    dice: classes.map((c) => numOrNull(c.dice)),
    iouAvg: reportAverages(msg, 'iou'),
    diceAvg: reportAverages(msg, 'dice'),
  };
}

export class SeriesStore {
  constructor(maxPoints) {
    this.max = maxPoints || MAX_POINTS;
    this.rows = [];
    this.latest = null; // the full report with the highest iteration
    this.version = 0; // changes whenever rows change, so views redraw only when needed
    this.received = 0;
  }

  get length() {
    return this.rows.length;
  }

  lastIteration() {
    return this.rows.length ? this.rows[this.rows.length - 1].iteration : null;
  }

  iterations() {
    return this.rows.map((r) => r.iteration);
  }

  /** Adds one report; returns false for one without an iteration. */
  add(msg) {
    if (!msg || !isNum(msg.iteration)) return false;
    this.insert(toRow(msg));
    if (this.latest === null || msg.iteration >= this.latest.iteration) this.latest = msg;
    this.received++;
    this.version++;
    this.bound();
    return true;
  }

  /** Merges many reports (a history message), in any order. */
  merge(reports) {
    let added = 0;
    for (const r of reports) {
      if (!r || !isNum(r.iteration)) continue;
      this.insert(toRow(r));
      if (this.latest === null || r.iteration >= this.latest.iteration) this.latest = r;
      added++;
    }
    this.received += added;
    this.version++;
    this.bound();
    return added;
  }

  insert(row) {
    const rows = this.rows;
    const n = rows.length;
    if (n === 0 || rows[n - 1].iteration < row.iteration) {
      rows.push(row);
      return;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].iteration < row.iteration) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n && rows[lo].iteration === row.iteration) rows[lo] = row;
    else rows.splice(lo, 0, row);
  }

  bound() {
    while (this.rows.length > this.max) this.thin();
  }

  thin() {
    const half = Math.floor(this.rows.length / 2);
    const kept = [];
    for (let i = 0; i < half; i++) if (i % 2 === 0) kept.push(this.rows[i]);
    this.rows = kept.concat(this.rows.slice(half));
  }

  clear() {
    this.rows = [];
    this.latest = null;
    this.received = 0;
    this.version++;
  }

  /** One column of values, by a function of a row. */
  column(of) {
    const out = new Array(this.rows.length);
    for (let i = 0; i < this.rows.length; i++) out[i] = of(this.rows[i]);
    return out;
  }
}
