/*
 * Reads a `history` message into batch-like reports, whatever its form (docs/protocol.md): the
 * columnar form (protocol 2: one array per series, class names once, the last report whole) or the
 * older array of batch objects. Each decoded report has what the charts draw (iteration, epoch, loss,
 * meanElementLoss, imagesPerSecond, the IoU and Dice averages, per class loss, positiveLoss,
 * negativeLoss, iou, dice); the last one is the server's whole report, for the table.
 */

import { isNum } from './util.js';

const AVERAGES = ['micro', 'macro', 'frequencyWeighted'];
const CLASS_FIELDS = ['loss', 'positiveLoss', 'negativeLoss', 'iou', 'dice'];

function valueAt(column, i) {
  return Array.isArray(column) && isNum(column[i]) ? column[i] : null;
}

function averagesAt(group, i) {
  const out = {};
  for (const a of AVERAGES) out[a] = valueAt(group && group[a], i);
  return out;
}

/** The reports of a history message, by iteration as sent; those without an iteration left out. */
export function historyReports(msg) {
  if (!msg || typeof msg !== 'object') return [];
  if (Array.isArray(msg.reports)) return msg.reports.filter((r) => r && typeof r === 'object' && isNum(r.iteration));
  const iterations = Array.isArray(msg.iteration) ? msg.iteration : [];
  const names = Array.isArray(msg.classes) ? msg.classes.map(String) : [];
  const perClass = msg.perClass && typeof msg.perClass === 'object' ? msg.perClass : {};
  const reports = [];
  for (let i = 0; i < iterations.length; i++) {
    if (!isNum(iterations[i])) continue;
    const classes = names.map((name, c) => {
      const cls = { index: c, name };
      for (const f of CLASS_FIELDS) cls[f] = valueAt(Array.isArray(perClass[f]) ? perClass[f][c] : null, i);
      return cls;
    });
    reports.push({
      type: 'batch', split: msg.split, iteration: iterations[i],
      epoch: valueAt(msg.epoch, i), loss: valueAt(msg.loss, i), meanElementLoss: valueAt(msg.meanElementLoss, i),
      imagesPerSecond: valueAt(msg.imagesPerSecond, i),
      iou: averagesAt(msg.iou, i), dice: averagesAt(msg.dice, i), classes,
    });
  }
  const last = msg.last;
  if (last && typeof last === 'object' && reports.length && last.iteration === reports[reports.length - 1].iteration) {
    reports[reports.length - 1] = last; // the whole report: the table shows fields the columns leave out
  }
  return reports;
}
