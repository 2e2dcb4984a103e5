/*
 * What the charts, the table and the chain show: the split (train or validation), the metric (IoU or
 * Dice) and whether class terms are split into positive- and negative-pixel parts. Read from the
 * switches at start (the browser may restore form state on reload) and on every change.
 */

export function splitValue(v) {
  return v === 'validation' ? 'validation' : 'train';
}

export function metricValue(v) {
  return v === 'dice' ? 'dice' : 'iou';
}

/** els: {splitSwitch, metricSwitch, posneg}; changed() is called after every change. Returns the live view. */
export function createViewSwitches(els, changed) {
  const view = { split: 'train', metric: 'iou', posneg: false };

  els.splitSwitch.addEventListener('change', (ev) => {
    if (ev.target.name === 'split') {
      view.split = splitValue(ev.target.value);
      changed();
    }
  });
  els.metricSwitch.addEventListener('change', (ev) => {
    if (ev.target.name === 'metric') {
      view.metric = metricValue(ev.target.value);
      changed();
    }
  });
  els.posneg.addEventListener('change', () => {
    view.posneg = els.posneg.checked;
    changed();
  });

  const split = els.splitSwitch.querySelector('input:checked');
  if (split) view.split = splitValue(split.value);
  const metric = els.metricSwitch.querySelector('input:checked');
  if (metric) view.metric = metricValue(metric.value);
  view.posneg = els.posneg.checked;

  return view;
}
