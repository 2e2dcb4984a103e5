/*
 * The stored runs as the runs view lists them (GET /api/runs), without the DOM: each run in a flat,
 * checked form, the words for its loss and network, and the order of the table. Sorting puts undefined
 * values last whichever the direction, and ties keep the newest run first.
 */

import { isNum, plainObject, str } from './util.js';
import { lossName, lossSpecOf } from './lossspec.js';

export const ACTIVE_STATES = ['starting', 'training', 'paused'];

/** key, and the direction a first click sorts. */
export const RUN_COLUMNS = [
  { key: 'name', first: 'ascending' },
  { key: 'state', first: 'ascending' },
  { key: 'createdAt', first: 'descending' },
  { key: 'iteration', first: 'descending' },
  { key: 'loss', first: 'ascending' },
  { key: 'model', first: 'ascending' },
  { key: 'trainIou', first: 'ascending' },
  { key: 'validationIou', first: 'ascending' },
  { key: 'alertCount', first: 'descending' },
];

function num(v) {
  return isNum(v) ? v : null;
}

/** The per-class IoU and Dice of a run's latest report of one split, or null. */
function latestOf(v) {
  const o = plainObject(v);
  if (!o || !Array.isArray(o.classes)) return null;
  return {
    iteration: num(o.iteration),
    classes: o.classes.filter(plainObject).map((c, i) => ({
      name: c.name == null ? 'class ' + i : String(c.name),
      iou: num(c.iou),
      dice: num(c.dice),
    })),
  };
}

/** The lowest defined IoU of a latest report: what the runs are sorted by (the failing class decides). */
export function worstIou(latest) {
  if (!latest) return null;
  let worst = null;
  for (const c of latest.classes) if (c.iou !== null && (worst === null || c.iou < worst)) worst = c.iou;
  return worst;
}

/** "BCE + Dice (macro)", from a lossSpec object or a text; '' when unknown. */
export function lossText(loss) {
  if (typeof loss === 'string') return loss;
  const spec = plainObject(loss);
  if (!spec) return '';
  const parts = [lossName(lossSpecOf({ lossSpec: spec }))];
  if (Array.isArray(spec.posWeight) && spec.posWeight.some((v) => v !== 1)) parts.push('posWeight');
  if (Array.isArray(spec.classWeights) && spec.classWeights.some((v) => v !== 1)) parts.push('class weights');
  return parts.join(', ');
}

/** "unet", "keras, model.h5", "unet, 485,853 parameters", from a model object or a text; '' when unknown. */
export function modelText(model) {
  if (typeof model === 'string') return model;
  const m = plainObject(model);
  if (!m) return '';
  const parts = [];
  const source = str(m.source) || str(m.name) || str(m.type);
  if (source) parts.push(source);
  if (str(m.file)) parts.push(str(m.file));
  if (isNum(m.parameters)) parts.push(Math.round(m.parameters).toLocaleString('en-US') + ' parameters');
  return parts.join(', ');
}

/** One run of GET /api/runs in the form the view uses; null for something that is not a run. */
export function normRun(r) {
  const o = plainObject(r);
  if (!o || o.id == null) return null;
  const latest = plainObject(o.latest) || {};
  const train = latestOf(latest.train);
  const validation = latestOf(latest.validation);
  return {
    id: String(o.id),
    name: str(o.name) || '',
    notes: str(o.notes) || '',
    state: str(o.state) || 'unknown',
    createdAt: num(o.createdAt),
    updatedAt: num(o.updatedAt),
    iteration: num(o.iteration),
    epoch: num(o.epoch),
    kind: str(o.kind) || '',
    loss: lossText(o.loss),
    model: modelText(o.model),
    train: train,
    validation: validation,
    trainIou: worstIou(train),
    validationIou: worstIou(validation),
    alertCount: num(o.alertCount),
  };
}

/** {current, runs} from the body of GET /api/runs. */
export function normRunList(body) {
  const o = plainObject(body) || {};
  const runs = Array.isArray(o.runs) ? o.runs.map(normRun).filter((r) => r !== null) : [];
  return { current: o.current == null ? null : String(o.current), runs: runs };
}

/** Whether a run may be deleted: never the one being trained. */
export function deletable(run, currentId) {
  return !(run.id === currentId && ACTIVE_STATES.includes(run.state));
}

function sortValue(run, key) {
  if (key === 'name') return (run.name || run.id).toLowerCase();
  const v = run[key];
  if (typeof v === 'string') return v === '' ? null : v.toLowerCase();
  return v === null || v === undefined ? null : v;
}

/** Compares two runs by a key; undefined last in either direction; ties newest first, then by id. */
export function compareRuns(a, b, key, direction) {
  const va = sortValue(a, key);
  const vb = sortValue(b, key);
  if (va === null && vb !== null) return 1;
  if (vb === null && va !== null) return -1;
  if (va !== null && vb !== null && va !== vb) {
    const c = va < vb ? -1 : 1;
    return direction === 'descending' ? -c : c;
  }
  const ta = a.createdAt === null ? -Infinity : a.createdAt;
  const tb = b.createdAt === null ? -Infinity : b.createdAt;
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortRuns(runs, key, direction) {
  return runs.slice().sort((a, b) => compareRuns(a, b, key, direction));
}

/** The next sort after activating a column's header: the same column reverses, another starts at its first direction. */
export function nextSort(sort, key) {
  if (sort.key === key) return { key: key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' };
  const col = RUN_COLUMNS.find((c) => c.key === key);
  return { key: key, direction: col ? col.first : 'ascending' };
}
