/*
 * The class table of the latest batch of the split shown: each class's term of the loss beside its
 * share of the loss, of the positive pixels and of the errors, its mean loss per positive pixel, IoU,
 * Dice, counts and state. Sortable by any column: the headers are buttons (click, Enter or Space);
 * a second activation reverses the order; undefined values always sort last. The failing class (lowest
 * IoU) is marked by a "worst" label, an edge and a background, not by colour alone.
 */

import { DASH, classColor, count, fixed, fmt, node, percent, setText } from './util.js';
import { CLASS_STATES, reportAverages } from './metrics.js';
import { lossName, lossSpecOf, sumsOverElements } from './lossspec.js';

const STATE_ORDER = { absentPredicted: 0, present: 1, absentCorrect: 2 };

/** key, how to show a value, which direction a first activation sorts (worst first). */
export const COLUMNS = [
  { key: 'loss', show: (r) => fmt(r.loss, 4), first: 'descending' },
  { key: 'lossShare', show: (r) => percent(r.lossShare), first: 'descending', bar: true },
  { key: 'positiveShare', show: (r) => percent(r.positiveShare), first: 'descending', bar: true },
  { key: 'errorShare', show: (r) => percent(r.errorShare), first: 'descending', bar: true },
  { key: 'meanPositiveLoss', show: (r) => fmt(r.meanPositiveLoss, 3), first: 'descending' },
  { key: 'iou', show: (r) => fixed(r.iou, 3), first: 'ascending' },
  { key: 'dice', show: (r) => fixed(r.dice, 3), first: 'ascending' },
  { key: 'prevalence', show: (r) => percent(r.prevalence), first: 'ascending' },
  { key: 'tp', show: (r) => count(r.tp), first: 'descending' },
  { key: 'fp', show: (r) => count(r.fp), first: 'descending' },
  { key: 'fn', show: (r) => count(r.fn), first: 'descending' },
  { key: 'state', show: (r) => CLASS_STATES[r.state] || r.state, first: 'ascending' },
];

function sortValue(row, key) {
  if (key === 'name') return row.name.toLowerCase();
  if (key === 'index') return row.index;
  if (key === 'state') return STATE_ORDER[row.state];
  const v = row[key];
  return v === null || v === undefined ? null : v;
}

/** Compares two rows by a key; nulls last whatever the direction; ties by class order. */
export function compareRows(a, b, key, direction) {
  const va = sortValue(a, key);
  const vb = sortValue(b, key);
  if (va === null && vb !== null) return 1;
  if (vb === null && va !== null) return -1;
  if (va !== null && vb !== null && va !== vb) {
    const c = va < vb ? -1 : 1;
    return direction === 'descending' ? -c : c;
  }
  return a.index - b.index;
}

function shareBar(colour) {
  const bar = node('span', 'share-bar');
  bar.style.backgroundColor = colour;
  bar.setAttribute('aria-hidden', 'true');
  return bar;
}

/**
 * els: {table, tbody, iteration, totalLoss, totalNote, footCells}; onSort(): the caller redraws.
 */
export function createTable(els) {
  const sort = { key: 'index', direction: 'ascending' };
  let rows = []; // {tr, cells, name, index}
  let view = []; // the computed rows of the latest batch

  const headers = Array.from(els.table.querySelectorAll('thead th[data-sort]'));

  function setSort(key) {
    if (sort.key === key) {
      sort.direction = sort.direction === 'ascending' ? 'descending' : 'ascending';
    } else {
      const col = COLUMNS.find((c) => c.key === key);
      sort.key = key;
      sort.direction = col ? col.first : 'ascending';
    }
    renderSortHeaders();
    applyOrder();
  }

  function renderSortHeaders() {
    for (const th of headers) {
      const active = th.dataset.sort === sort.key;
      th.setAttribute('aria-sort', active ? sort.direction : 'none');
      const mark = th.querySelector('.sort-mark');
      if (mark) mark.textContent = active ? (sort.direction === 'ascending' ? '▲' : '▼') : '';
    }
  }

  for (const th of headers) {
    const button = th.querySelector('button');
    if (button) button.addEventListener('click', () => setSort(th.dataset.sort));
  }

  function build(classes) {
    els.tbody.replaceChildren();
    rows = classes.map((name, i) => {
      const tr = node('tr');
      tr.dataset.class = name;
      tr.dataset.index = String(i);
      const th = node('th', 'name');
      th.scope = 'row';
      const swatch = node('span', 'swatch');
      swatch.style.backgroundColor = classColor(i);
      swatch.setAttribute('aria-hidden', 'true');
      const worst = node('span', 'worst-badge', '▼ worst');
      worst.hidden = true;
      worst.title = 'Lowest IoU in this batch';
      th.append(swatch, node('span', 'class-name', name), worst);
      tr.append(th);
      const cells = {};
      for (const col of COLUMNS) {
        const td = node('td');
        td.dataset.col = col.key;
        const text = node('span', 'cell-text', DASH);
        td.append(text);
        if (col.bar) td.append(shareBar(classColor(i)));
        if (col.key === 'state') td.append(node('span', 'alert-slot'));
        cells[col.key] = td;
        tr.append(td);
      }
      els.tbody.append(tr);
      return { tr: tr, cells: cells, name: name, index: i, worst: worst };
    });
    view = [];
  }

  function applyOrder() {
    if (!view.length) return;
    const order = view.slice().sort((a, b) => compareRows(a, b, sort.key, sort.direction));
    const wanted = order.map((r) => rows[r.index] && rows[r.index].tr).filter(Boolean);
    const current = Array.from(els.tbody.children);
    if (wanted.every((tr, i) => current[i] === tr)) return;
    els.tbody.append(...wanted);
  }

  function renderRow(r, v, isWorst) {
    for (const col of COLUMNS) {
      const td = r.cells[col.key];
      setText(td.firstChild, col.show(v));
      const raw = col.key === 'state' ? v.state : v[col.key];
      td.dataset.value = raw === null || raw === undefined ? '' : String(raw);
      if (col.bar) {
        const share = v[col.key];
        td.lastChild.style.width = share === null ? '0' : 'calc((100% - 16px) * ' + Math.max(0, Math.min(1, share)).toFixed(4) + ')';
      }
    }
    r.tr.classList.toggle('worst', isWorst);
    r.tr.classList.toggle('undefined-iou', v.iou === null);
    r.tr.dataset.state = v.state;
    r.worst.hidden = !isWorst;
  }

  function renderFooter(msg, classRows) {
    const iou = reportAverages(msg, 'iou');
    const dice = reportAverages(msg, 'dice');
    setText(els.totalLoss, fmt(msg.loss, 4));
    els.totalLoss.dataset.value = String(msg.loss);
    const f = els.footCells;
    setText(f.meanPositiveLoss, fmt(msg.meanPositiveLoss, 3));
    setText(f.iou, fixed(iou.micro, 3));
    setText(f.dice, fixed(dice.micro, 3));
    setText(f.tp, count(classRows.reduce((s, r) => s + r.tp, 0)));
    setText(f.fp, count(classRows.reduce((s, r) => s + r.fp, 0)));
    setText(f.fn, count(classRows.reduce((s, r) => s + r.fn, 0)));
    setText(f.averages, 'IoU: micro ' + fixed(iou.micro, 3) + ' · macro ' + fixed(iou.macro, 3)
      + ' · frequency-weighted ' + fixed(iou.frequencyWeighted, 3) + '; Dice: micro ' + fixed(dice.micro, 3)
      + ' · macro ' + fixed(dice.macro, 3) + ' · frequency-weighted ' + fixed(dice.frequencyWeighted, 3));
    const spec = lossSpecOf(msg);
    const notes = [lossName(spec)];
    if (sumsOverElements(spec)) notes.push('mean per element ' + fmt(msg.meanElementLoss, 4));
    if (msg.reportedLoss !== null && msg.reportedLoss !== undefined) notes.push('framework reported ' + fmt(msg.reportedLoss, 6));
    if (msg.residual !== null && msg.residual !== undefined) notes.push('residual ' + fmt(msg.residual, 2));
    setText(els.totalNote, notes.join(' · '));
  }

  return {
    build: build,

    rows() {
      return rows;
    },

    /** msg: the latest report of the split shown (or null); classRows from metrics.classRows. */
    render(msg, classRows, worst, split) {
      if (!msg) {
        setText(els.iteration, split === 'validation' ? '(no validation report yet)' : '');
        setText(els.totalLoss, DASH);
        setText(els.totalNote, '');
        for (const r of rows) {
          r.tr.classList.remove('worst', 'undefined-iou');
          r.worst.hidden = true;
          for (const col of COLUMNS) {
            const td = r.cells[col.key];
            setText(td.firstChild, DASH);
            td.dataset.value = '';
            if (col.bar) td.lastChild.style.width = '0';
          }
        }
        view = [];
        return;
      }
      setText(els.iteration, '(' + split + ', iteration ' + msg.iteration + ', ' + count(msg.images) + ' images)');
      view = classRows;
      classRows.forEach((v, i) => {
        if (rows[i]) renderRow(rows[i], v, i === worst);
      });
      renderFooter(msg, classRows);
      applyOrder();
    },

    sortState() {
      return { key: sort.key, direction: sort.direction };
    },
  };
}
