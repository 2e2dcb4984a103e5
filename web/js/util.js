/*
 * Formatting, colours and DOM building blocks shared by the dashboard's views.
 * All text from the server goes in with textContent, never as HTML.
 */

export const DASH = '—';

/** Okabe–Ito, ordered so the first classes get the most distinct, highest-contrast colours. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const DASHES = [null, [6, 3], [2, 3], [10, 3, 2, 3]];

/** TP / FP / FN when a samples message carries no colours of its own (Okabe–Ito). */
export const OUTCOME_COLOURS = { tp: '#009E73', fp: '#E69F00', fn: '#0072B2' };

const FRAMEWORKS = { dl4j: 'DL4J', keras: 'Keras', torch: 'PyTorch' };

/** The framework whose convention a report follows ("dl4j" → "DL4J"); an unknown one by its own name. */
export function frameworkName(convention) {
  return FRAMEWORKS[convention] || convention;
}

export function isNum(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A loss-like number with about `digits` significant digits; "—" when undefined. */
export function fmt(v, digits) {
  if (!isNum(v)) return DASH;
  if (v === 0) return '0';
  const d = digits || 4;
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(Math.max(0, d - 2));
  if (a >= 10 ** d) return v.toFixed(0);
  return String(Number(v.toPrecision(d)));
}

export function fixed(v, decimals) {
  return isNum(v) ? v.toFixed(decimals) : DASH;
}

export function percent(fraction) {
  if (!isNum(fraction)) return DASH;
  const p = fraction * 100;
  if (p === 0) return '0%';
  const a = Math.abs(p);
  if (a < 0.01) return '<0.01%';
  if (a < 1) return p.toFixed(2) + '%';
  return p.toFixed(1) + '%';
}

export function count(v) {
  return isNum(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

/** "2 h 05 min", "3 min 20 s", "12 s". */
export function duration(seconds) {
  if (!isNum(seconds) || seconds < 0) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + String(s % 60).padStart(2, '0') + ' s';
  const h = Math.floor(m / 60);
  if (h < 48) return h + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}

export function classColor(i) {
  return PALETTE[i % PALETTE.length];
}

export function classDash(i) {
  return DASHES[Math.floor(i / PALETTE.length) % DASHES.length];
}

export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
}

export function isColour(v) {
  return typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v);
}

export function sameList(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function str(v) {
  return v === null || v === undefined ? null : String(v);
}

export function plainObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

/** An element with an optional class and text. */
export function node(tag, className, text) {
  const n = document.createElement(tag);
  if (className) n.className = className;
  if (text !== undefined && text !== null) n.textContent = String(text);
  return n;
}

export function strong(text, className) {
  return node('strong', className, text);
}

export function $(id) {
  return document.getElementById(id);
}

/** Sets textContent only when it changes (keeps screen readers and selection calm). */
export function setText(element, text) {
  const t = String(text);
  if (element.textContent !== t) element.textContent = t;
}
