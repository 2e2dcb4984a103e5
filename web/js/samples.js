/*
 * Sample predictions: the latest `samples` message. Per probe image the input, then per class the
 * input with the class's overlay on top (true positives, false positives and false negatives in the
 * colours the message names; transparent where true negative), with the counts and IoU, and a legend.
 * Only PNG data URLs are shown; anything else is ignored.
 */

import { OUTCOME_COLOURS, classColor, count, fixed, isColour, isNum, node, setText } from './util.js';

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/=\s]+$/;

function pngUrl(v) {
  return typeof v === 'string' && PNG_DATA_URL.test(v) ? v : null;
}

function coloursOf(msg) {
  const c = msg.colours && typeof msg.colours === 'object' ? msg.colours : {};
  return {
    tp: isColour(c.tp) ? c.tp : OUTCOME_COLOURS.tp,
    fp: isColour(c.fp) ? c.fp : OUTCOME_COLOURS.fp,
    fn: isColour(c.fn) ? c.fn : OUTCOME_COLOURS.fn,
  };
}

function legend(colours) {
  const list = node('ul', 'samples-legend');
  list.setAttribute('aria-label', 'Overlay colours');
  const items = [['tp', 'true positive (found)'], ['fp', 'false positive (predicted, not there)'], ['fn', 'false negative (missed)']];
  for (const [key, label] of items) {
    const li = node('li');
    li.dataset.outcome = key;
    const sw = node('span', 'outcome-swatch');
    sw.style.backgroundColor = colours[key];
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, node('span', null, key.toUpperCase() + ' — ' + label));
    list.append(li);
  }
  const tn = node('li');
  tn.dataset.outcome = 'tn';
  const sw = node('span', 'outcome-swatch outcome-none');
  sw.setAttribute('aria-hidden', 'true');
  tn.append(sw, node('span', null, 'uncoloured — true negative'));
  list.append(tn);
  return list;
}

function picture(input, overlay, alt) {
  const wrap = node('div', 'sample-picture');
  const base = node('img', 'sample-input');
  base.alt = overlay ? '' : alt;
  base.decoding = 'async';
  if (input) base.src = input;
  wrap.append(base);
  if (overlay) {
    const top = node('img', 'sample-overlay');
    top.alt = alt;
    top.decoding = 'async';
    top.src = overlay;
    wrap.append(top);
  }
  return wrap;
}

function classFigure(image, cls, classIndex, colours) {
  const fig = node('figure', 'sample-class');
  const name = cls.name == null ? 'class ' + classIndex : String(cls.name);
  fig.dataset.class = name;
  const alt = 'Image ' + image.index + ', class ' + name + ': ' + count(cls.tp) + ' TP, ' + count(cls.fp) + ' FP, '
    + count(cls.fn) + ' FN';
  fig.append(picture(pngUrl(image.image), pngUrl(cls.overlay), alt));
  const cap = node('figcaption');
  const title = node('span', 'sample-class-name');
  const sw = node('span', 'swatch');
  sw.style.backgroundColor = classColor(classIndex);
  sw.setAttribute('aria-hidden', 'true');
  title.append(sw, name + ' · IoU ' + fixed(isNum(cls.iou) ? cls.iou : null, 2));
  const counts = node('span', 'sample-counts');
  for (const key of ['tp', 'fp', 'fn']) {
    const c = node('span', 'sample-count');
    c.dataset.outcome = key;
    c.style.borderColor = colours[key];
    c.textContent = key.toUpperCase() + ' ' + count(isNum(cls[key]) ? cls[key] : null);
    counts.append(c);
  }
  cap.append(title, counts);
  fig.append(cap);
  return fig;
}

function imageRow(image, colours, classIndexOf) {
  const row = node('li', 'sample-row');
  row.dataset.index = String(image.index);
  const head = node('figure', 'sample-class sample-source');
  head.append(picture(pngUrl(image.image), null, 'Probe image ' + image.index + ', input'));
  head.append(node('figcaption', null, 'image ' + image.index + ' · input'));
  row.append(head);
  const classes = Array.isArray(image.classes) ? image.classes : [];
  classes.forEach((cls, i) => {
    if (cls && typeof cls === 'object') row.append(classFigure(image, cls, classIndexOf(cls.name, i), colours));
  });
  return row;
}

/** els: {root, status, legend, list}; classIndexOf(name, fallback) picks the class's colour. */
export function createSamples(els, classIndexOf) {
  let shown = null;

  return {
    render(msg) {
      if (msg === shown) return;
      shown = msg;
      if (!msg) {
        els.root.dataset.iteration = '';
        setText(els.status, 'No samples yet: the server sends predictions on a few probe images every few hundred iterations.');
        els.legend.replaceChildren();
        els.list.replaceChildren();
        return;
      }
      const images = Array.isArray(msg.images) ? msg.images.filter((i) => i && typeof i === 'object') : [];
      const colours = coloursOf(msg);
      els.root.dataset.iteration = String(msg.iteration);
      const threshold = isNum(msg.threshold) ? ', threshold ' + msg.threshold : '';
      setText(els.status, images.length + ' probe image' + (images.length === 1 ? '' : 's') + ' from the '
        + (msg.split || 'train') + ' split at iteration ' + msg.iteration + threshold + '.');
      els.legend.replaceChildren(legend(colours));
      els.list.replaceChildren(...images.map((image) => imageRow(image, colours, classIndexOf)));
    },
  };
}
