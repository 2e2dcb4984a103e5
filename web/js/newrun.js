/*
 * The new-run form without the DOM: the keys a user changes between runs, their values from a run's
 * stored configuration (GET /api/runs/{id} `config`: the values it was started with, by dotted key), and
 * the overrides the form sends (POST /api/runs {"overrides": ["key=value", ...]}). An empty field sends
 * nothing, so the server's configuration decides; every value is checked by the server, which answers
 * a bad one with the command line's message.
 *
 * Remedies for a class that an alert names: pos_weight from the class's negative/positive pixel ratio
 * (PyTorch's recipe for pos_weight), or BCE + macro Dice.
 */

import { isNum } from './util.js';

/** key, label, kind (select: its options), group. */
export const FIELDS = [
  { key: 'training.loss', label: 'loss', kind: 'select', options: ['bce', 'focal', 'dice', 'bce_dice'], group: 'loss' },
  { key: 'training.classWeights', label: 'class weights', kind: 'list', group: 'loss' },
  { key: 'training.posWeight', label: 'posWeight', kind: 'list', group: 'loss' },
  { key: 'training.focalGamma', label: 'focal γ', kind: 'number', group: 'loss' },
  { key: 'training.focalAlpha', label: 'focal α', kind: 'text', group: 'loss' },
  { key: 'training.dice', label: 'Dice', kind: 'select', options: ['micro', 'macro'], group: 'loss' },
  { key: 'training.diceSmooth', label: 'Dice smoothing', kind: 'number', group: 'loss' },
  { key: 'training.bceDiceWeights', label: 'BCE + Dice weights', kind: 'list', group: 'loss' },
  { key: 'training.optimizer', label: 'optimizer', kind: 'select', options: ['adam', 'sgd', 'nesterovs', 'rmsprop'], group: 'training' },
  { key: 'training.learningRate', label: 'learning rate', kind: 'number', group: 'training' },
  { key: 'training.epochs', label: 'epochs', kind: 'number', group: 'training' },
  { key: 'training.batchSize', label: 'batch size', kind: 'number', group: 'training' },
  { key: 'training.imageSize', label: 'image size', kind: 'number', group: 'training' },
  { key: 'model.depth', label: 'U-Net depth', kind: 'number', group: 'model' },
  { key: 'model.baseFilters', label: 'base filters', kind: 'number', group: 'model' },
  { key: 'model.batchNorm', label: 'batch norm', kind: 'select', options: ['false', 'true'], group: 'model' },
  { key: 'model.dropout', label: 'dropout', kind: 'number', group: 'model' },
  { key: 'model.upsampling', label: 'upsampling', kind: 'select', options: ['transposed', 'bilinear'], group: 'model' },
];

const KEYS = FIELDS.map((f) => f.key);

/** A stored value as the form shows it: lists as [a, b], everything else as its text. */
export function formText(v) {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return '[' + v.map((x) => String(x)).join(', ') + ']';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The form's fields from a run's stored configuration: {key → text}, '' for a key left at its default. */
export function valuesFromConfig(config) {
  const flat = flatten(config);
  const out = {};
  for (const key of KEYS) out[key] = formText(flat[key]);
  return out;
}

/** A configuration by dotted keys, whether stored flat ({"training.loss": ..}) or nested ({training: {loss}}). */
export function flatten(config, prefix, out) {
  const o = out || {};
  if (!config || typeof config !== 'object' || Array.isArray(config)) return o;
  for (const k of Object.keys(config)) {
    const key = prefix ? prefix + '.' + k : k;
    const v = config[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && !k.includes('.')) flatten(v, key, o);
    else o[key] = v;
  }
  return o;
}

/**
 * The overrides to send: "key=value" for every non-empty field, then the extra lines (key=value each;
 * blank lines and lines starting with # are skipped). Values go as typed: the server checks them.
 */
export function overridesFrom(values, extraText) {
  const out = [];
  for (const key of KEYS) {
    const v = values[key] === undefined ? '' : String(values[key]).trim();
    if (v !== '') out.push(key + '=' + v);
  }
  for (const line of String(extraText || '').split('\n')) {
    const t = line.trim();
    if (t && !t.startsWith('#')) out.push(t);
  }
  return out;
}

function short(v) {
  return Number(v.toPrecision(3));
}

/** A list field's numbers ([a, b, c] or a, b, c); null when it is not such a list. */
export function parseList(text) {
  const t = String(text || '').trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (t === '') return [];
  const parts = t.split(',').map((p) => Number(p.trim()));
  return parts.every((p) => Number.isFinite(p)) ? parts : null;
}

/**
 * The class's share of positive pixels from reports (the latest validation report decomposes the whole
 * validation split; else the training reports held): positives over all pixels, pooled. Null when unknown.
 */
export function prevalenceOf(reports, name) {
  let positives = 0;
  let pixels = 0;
  for (const r of reports) {
    if (!r || !Array.isArray(r.classes)) continue;
    const c = r.classes.find((x) => x && String(x.name) === name);
    if (!c || ![c.tp, c.fp, c.fn, c.tn].every(isNum)) continue;
    positives += c.tp + c.fn;
    pixels += c.tp + c.fp + c.fn + c.tn;
  }
  return pixels > 0 ? positives / pixels : null;
}

/**
 * Remedies for class `name` (index in `classes`) given the form's current values and the class's
 * prevalence: each {id, title, short, why, values} where values are the fields to change.
 */
export function remedies(classes, name, prevalence, current) {
  const out = [];
  const i = classes.indexOf(name);
  if (i >= 0 && isNum(prevalence) && prevalence > 0 && prevalence < 1) {
    const ratio = short((1 - prevalence) / prevalence);
    const now = parseList(current['training.posWeight']);
    const q = now && now.length === classes.length ? now.slice() : classes.map(() => 1);
    q[i] = ratio;
    const loss = current['training.loss'] === 'dice' || current['training.loss'] === '' || current['training.loss'] === undefined
      ? 'bce' : current['training.loss'];
    out.push({
      id: 'posWeight',
      title: 'posWeight ' + ratio + ' for ' + name,
      short: 'posWeight ' + ratio,
      why: name + ' is ' + short(prevalence * 100) + '% of the pixels: negative / positive pixels = ' + ratio
        + ' (PyTorch\'s recipe for pos_weight); it weighs the cross-entropy of ' + name + '\'s positive pixels.',
      values: { 'training.loss': loss, 'training.posWeight': '[' + q.join(', ') + ']' },
    });
  }
  out.push({
    id: 'bceDice',
    title: 'BCE + macro Dice',
    short: 'BCE + macro Dice',
    why: 'Macro Dice is the mean of each class\'s Dice, so ' + name + ' counts as much as any common class.',
    values: { 'training.loss': 'bce_dice', 'training.dice': 'macro' },
  });
  return out;
}
