/*
 * "How your number is formed": the reduction chain of the latest batch with its real numbers, in the
 * batch's convention, per class and for all classes, and what it does to the failing class.
 *   ① per-element losses  ② summed per class over pixels and images  ③ the pixel (and class) reduction
 *   ④ the image reduction  ⑤ the reported number
 */

import { DASH, count, fixed, fmt, frameworkName, node, percent, setText, strong } from './util.js';
import { reductionChain } from './metrics.js';
import { diceStepTexts, diceTermLabel, lossName, lossSpecOf, parameterTexts, sumsOverElements } from './lossspec.js';

/** The text of each step for the batch's convention. */
function stepTexts(ch, spec) {
  const n = ch.images === null ? 'N' : count(ch.images);
  const p = ch.pixels === null ? 'P' : count(ch.pixels);
  const c = count(ch.classes);
  const e = ch.elements === null ? '?' : count(ch.elements);
  const steps = [
    ['Per element', (spec.function === 'focal' ? 'One focal term' : 'One binary cross-entropy') + ' per image, pixel and class: ' + n + ' × ' + p + ' × ' + c + ' = '
      + e + ' numbers, ' + fmt(ch.meanElementLoss, 4) + ' on average.'],
    ['Per class', 'Each class sums its ' + (ch.images === null || ch.pixels === null ? 'N × P' : count(ch.images * ch.pixels))
      + ' values over all pixels of all images (column ②).'],
  ];
  if (ch.sumsOverPixels) {
    steps.push(['Over pixels and classes', frameworkName(ch.convention) + ' sums them, it does not average: ÷ 1 (column ③).']);
    steps.push(['Over images', 'Then it divides by the number of images, ÷ ' + n + ' (column ④): the class terms.']);
  } else {
    const divisor = ch.pixelDivisor === null ? 'P × C' : count(ch.pixelDivisor);
    const how = ch.convention === 'keras'
      ? 'Keras averages over the ' + c + ' classes of each pixel (the mean over axis −1), then over the ' + p + ' pixels'
      : frameworkName(ch.convention) + ' averages over all elements at once; per image that is the ' + c + ' classes and ' + p + ' pixels';
    steps.push(['Over pixels and classes', how + ': ÷ ' + divisor + ' (column ③).']);
    steps.push(['Over images', 'and over the images, ÷ ' + n + ' (column ④): the class terms.']);
  }
  steps.push(['The reported number', 'The class terms add up to the loss you see printed.']);
  return steps;
}

function cell(tag, text, value) {
  const c = node(tag, null, text);
  if (value !== undefined && value !== null) c.dataset.value = String(value);
  return c;
}

function stepTable(ch, rows, worst) {
  const table = node('table', 'chain-table');
  table.append(node('caption', 'visually-hidden', 'The reduction chain per class'));
  const head = node('thead');
  const hr = node('tr');
  const labels = ['class', '① mean per element (positive / negative pixels)', '② sum over pixels and images',
    ch.sumsOverPixels ? '③ ÷ 1 (summed)' : '③ ÷ ' + count(ch.pixelDivisor) + ' (P × C)',
    '④ ÷ ' + count(ch.images) + ' images = term', 'share of the number'];
  for (const l of labels) {
    const th = node('th', null, l);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = node('tbody');
  rows.forEach((r, i) => {
    const tr = node('tr');
    tr.dataset.class = r.name;
    if (i === worst) tr.className = 'chain-worst';
    const th = node('th', null, r.name);
    th.scope = 'row';
    if (i === worst) th.append(node('span', 'worst-badge', '▼ worst'));
    const perElement = ch.sums[i] !== null && ch.images && ch.pixels ? ch.sums[i] / (ch.images * ch.pixels) : null;
    const reduced = ch.sums[i] !== null && ch.pixelDivisor ? ch.sums[i] / ch.pixelDivisor : null;
    tr.append(th,
      cell('td', fmt(perElement, 3) + ' (' + fmt(r.meanPositiveLoss, 3) + ' / ' + fmt(r.meanNegativeLoss, 3) + ')', perElement),
      cell('td', fmt(ch.sums[i], 4), ch.sums[i]),
      cell('td', fmt(reduced, 4), reduced),
      cell('td', fmt(r.loss, 4), r.loss),
      cell('td', percent(r.lossShare), r.lossShare));
    body.append(tr);
  });
  const foot = node('tfoot');
  const fr = node('tr');
  const fth = node('th', null, 'all classes');
  fth.scope = 'row';
  fr.append(fth,
    cell('td', fmt(ch.meanElementLoss, 3), ch.meanElementLoss),
    cell('td', fmt(ch.total, 4), ch.total),
    cell('td', fmt(ch.perImage, 4), ch.perImage),
    cell('td', fmt(ch.result, 4), ch.result),
    cell('td', '100%'));
  foot.append(fr);
  table.append(head, body, foot);
  const wrap = node('div', 'table-wrap');
  wrap.append(table);
  return wrap;
}

/** Dice is not a sum over pixels: its class terms with their positive and negative parts, as sent. */
function diceTable(ch, rows, worst, spec) {
  const table = node('table', 'chain-table');
  table.append(node('caption', 'visually-hidden', 'The class terms of the Dice loss'));
  const head = node('thead');
  const hr = node('tr');
  const labels = ['class', 'positive part (missed)', 'negative part (false)', diceTermLabel(spec), 'share of the number'];
  if (spec.function === 'dice' && spec.dice === 'macro') labels.splice(3, 0, '1 − D_c = C × term');
  for (const l of labels) {
    const th = node('th', null, l);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = node('tbody');
  const macro = spec.function === 'dice' && spec.dice === 'macro';
  rows.forEach((r, i) => {
    const tr = node('tr');
    tr.dataset.class = r.name;
    if (i === worst) tr.className = 'chain-worst';
    const th = node('th', null, r.name);
    th.scope = 'row';
    if (i === worst) th.append(node('span', 'worst-badge', '▼ worst'));
    tr.append(th, cell('td', fmt(r.positiveLoss, 4), r.positiveLoss), cell('td', fmt(r.negativeLoss, 4), r.negativeLoss));
    if (macro) {
      const oneMinusDice = r.loss !== null && ch.classes ? r.loss * ch.classes : null;
      tr.append(cell('td', fmt(oneMinusDice, 4), oneMinusDice));
    }
    tr.append(cell('td', fmt(r.loss, 4), r.loss), cell('td', percent(r.lossShare), r.lossShare));
    body.append(tr);
  });
  const foot = node('tfoot');
  const fr = node('tr');
  const fth = node('th', null, 'all classes');
  fth.scope = 'row';
  const sum = (key) => (rows.every((r) => r[key] !== null) ? rows.reduce((a, r) => a + r[key], 0) : null);
  const pos = sum('positiveLoss');
  const neg = sum('negativeLoss');
  fr.append(fth, cell('td', fmt(pos, 4), pos), cell('td', fmt(neg, 4), neg));
  if (macro) fr.append(cell('td', ''));
  fr.append(cell('td', fmt(ch.result, 4), ch.result), cell('td', '100%'));
  foot.append(fr);
  table.append(head, body, foot);
  const wrap = node('div', 'table-wrap');
  wrap.append(table);
  return wrap;
}

/** What the averaging does to the failing class, in this batch's numbers. */
function dilution(ch, rows, worst) {
  const p = node('p', 'chain-dilution');
  if (worst < 0) {
    p.textContent = 'No class has a defined IoU in this batch yet.';
    return p;
  }
  const r = rows[worst];
  const parts = ['Class ', strong(r.name, 'worst-name'), ' has IoU ', strong(fixed(r.iou, 2)), ': of its '
    + count(r.positives) + ' positive pixels the network finds ' + count(r.tp) + '. '];
  if (r.meanPositiveLoss !== null && ch.meanElementLoss) {
    const times = r.meanPositiveLoss / ch.meanElementLoss;
    parts.push('Each of them costs ', strong(fmt(r.meanPositiveLoss, 3)), ' nats, '
      + (times >= 1 ? fmt(times, 2) + '× the average element' : 'about the average element') + ', but they are only ');
    parts.push(strong(percent(ch.elements ? r.positives / ch.elements : null)),
      ' of the ' + count(ch.elements) + ' elements. ');
  }
  parts.push('So its whole term is ', strong(fmt(r.loss, 4)), ' of ', strong(fmt(ch.loss, 4)), ' — ',
    strong(percent(r.lossShare)), ' of the number you watch, while it makes ', strong(percent(r.errorShare)),
    ' of the wrongly classified pixels.');
  p.append(...parts);
  return p;
}

/** The seed question's three questions, answered with this batch. */
function answer(ch, spec) {
  const n = ch.images === null ? 'N' : count(ch.images);
  const e = ch.elements === null ? 'N·P·C' : count(ch.elements);
  const list = node('ol', 'chain-answers');
  const items = [
    'What gets combined first, classes per pixel or pixels per class? It does not matter: the loss is one sum over all '
      + e + ' (image, pixel, class) values, divided once. Every element weighs the same (times its class weight).',
    'Where is it summed, where averaged? DL4J sums over classes and pixels and averages over the images (÷ ' + n
      + '). Keras averages over the classes of each pixel (axis −1), then over pixels and images; PyTorch averages over everything. '
      + 'Both divide by all ' + e + ' elements.',
    "Keras's mean over axis −1 is the mean over the classes of each pixel; the batch mean then averages pixels and images. "
      + 'Both, one after the other: a mean of means of equal-sized groups, the plain mean of all elements.',
  ];
  for (const text of items) list.append(node('li', null, text));
  if (spec.function !== 'bce') {
    return [list, node('p', 'note', 'These answers are about cross-entropy, the seed question\'s loss; this run trains '
      + lossName(spec) + '.')];
  }
  const other = ch.sumsOverPixels
    ? 'This batch as Keras or PyTorch would print it (mean over all elements): ' + fmt(ch.meanElementLoss, 4) + '.'
    : 'This batch as DL4J would print it (sum ÷ images): ' + fmt(ch.total !== null && ch.images ? ch.total / ch.images : null, 4) + '.';
  return [list, node('p', 'note', other)];
}

/** The trained loss: its name, formula and parameters. */
function lossParagraph(spec, names) {
  const p = node('p', 'chain-loss');
  p.append(strong('Trained loss: ' + lossName(spec)));
  if (spec.formula) {
    p.append(' ');
    p.append(node('code', 'chain-formula', spec.formula));
  }
  p.append(node('br'), parameterTexts(spec, names).join(' · ') + '.');
  return p;
}

/** els: {root, source, loss, steps, table, total, totalNote, dilution, answer}. */
export function createChain(els) {
  let drawnKey = null;

  return {
    render(msg, rows, worst, split) {
      if (!msg) {
        drawnKey = null;
        setText(els.source, split === 'validation' ? 'No validation report yet.' : 'Waiting for the first batch…');
        els.root.dataset.iteration = '';
        els.steps.replaceChildren();
        if (els.loss) els.loss.replaceChildren();
        els.table.replaceChildren();
        setText(els.total, DASH);
        els.total.dataset.value = '';
        setText(els.totalNote, '');
        els.dilution.replaceChildren();
        els.answer.replaceChildren();
        return;
      }
      const key = split + ':' + msg.iteration + ':' + msg.loss;
      if (key === drawnKey) return;
      drawnKey = key;
      const ch = reductionChain(msg, rows);
      const spec = lossSpecOf(msg);
      const summed = sumsOverElements(spec);
      els.root.dataset.iteration = String(msg.iteration);
      els.root.dataset.convention = ch.convention;
      els.root.dataset.loss = spec.function;
      setText(els.source, 'Latest ' + split + ' batch, iteration ' + msg.iteration + ', '
        + frameworkName(ch.convention) + ' convention (' + (!summed ? lossName(spec)
          : ch.sumsOverPixels ? 'sum over classes and pixels ÷ images' : 'mean over all elements') + ').');
      if (els.loss) els.loss.replaceChildren(lossParagraph(spec, rows.map((r) => r.name)));
      const steps = summed ? stepTexts(ch, spec) : diceStepTexts(spec, ch.classes);
      els.steps.replaceChildren(...steps.map(([title, text], i) => {
        const li = node('li');
        li.dataset.stage = String(i + 1);
        li.append(strong(title + ': '), text);
        return li;
      }));
      els.table.replaceChildren(summed ? stepTable(ch, rows, worst) : diceTable(ch, rows, worst, spec));
      setText(els.total, fmt(ch.loss, 4));
      els.total.dataset.value = String(ch.loss);
      els.total.dataset.computed = String(ch.result);
      const notes = ['= Σ class terms ' + fmt(ch.result, 6)];
      if (ch.reportedLoss !== null) notes.push(frameworkName(ch.convention) + ' itself printed ' + fmt(ch.reportedLoss, 6));
      if (ch.residual !== null) notes.push('difference ' + fmt(ch.residual, 2) + ' (float32 rounding)');
      setText(els.totalNote, notes.join(' · '));
      els.dilution.replaceChildren(dilution(ch, rows, worst));
      els.answer.replaceChildren(...answer(ch, spec));
    },
  };
}
