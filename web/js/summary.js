/*
 * The short texts around the charts: the run's id and start, the configuration line at the foot of the
 * page, the metric chart's title, the number of validation reports, and the line of the latest
 * averages under the IoU/Dice chart (as the server computed them).
 */

import { fixed, isNum, setText } from './util.js';

/** "64×64 images · batch 16 · 5 classes · 32 iterations/epoch · loss convention: dl4j · 120 reports held". */
export function configText(config, classCount, held) {
  const parts = [];
  if (isNum(config.imageSize)) parts.push(config.imageSize + '×' + config.imageSize + ' images');
  if (isNum(config.batchSize)) parts.push('batch ' + config.batchSize);
  if (classCount) parts.push(classCount + ' classes');
  if (isNum(config.iterationsPerEpoch) && config.iterationsPerEpoch > 0) parts.push(config.iterationsPerEpoch + ' iterations/epoch');
  if (config.convention) parts.push('loss convention: ' + config.convention);
  parts.push(held + ' reports held');
  return parts.join(' · ');
}

/** "(run id, started <local time>)", or '' without a run. */
export function runText(run) {
  if (!run || run.id == null) return '';
  return '(' + run.id + (run.createdAt ? ', started ' + new Date(run.createdAt).toLocaleString() : '') + ')';
}

/**
 * The latest averages of a row of a SeriesStore (iouAvg or diceAvg), and the gap that shows a rare class
 * failing: frequency-weighted minus macro.
 */
export function averagesText(iteration, avg) {
  const raw = avg.frequencyWeighted !== null && avg.macro !== null ? avg.frequencyWeighted - avg.macro : null;
  const gap = raw !== null && Math.abs(raw) < 5e-4 ? 0 : raw; // no "-0.000"
  return 'Latest (iteration ' + iteration + '): micro ' + fixed(avg.micro, 3) + ' · macro '
    + fixed(avg.macro, 3) + ' · frequency-weighted ' + fixed(avg.frequencyWeighted, 3)
    + (gap !== null ? ' · gap frequency-weighted − macro ' + fixed(gap, 3) + (gap > 0.2 ? ' (a rare class is failing)' : '') : '');
}

/** els: {config, runId, iouTitle, iouAverages, validationCount}. */
export function createSummary(els) {
  return {
    /** run: the run state (state.js); view: {split, metric}. */
    render(run, view) {
      const held = run.stores.train.length + run.stores.validation.length;
      setText(els.config, configText(run.config, run.classes.length, held));
      setText(els.runId, runText(run.config.run));
      setText(els.iouTitle, (view.metric === 'dice' ? 'Dice' : 'IoU') + ' per class');
      const v = run.stores.validation.length;
      setText(els.validationCount, v ? '(' + v + ')' : '(none yet)');
      const store = run.stores[view.split];
      const row = store.length ? store.rows[store.length - 1] : null;
      setText(els.iouAverages, row ? averagesText(row.iteration, view.metric === 'dice' ? row.diceAvg : row.iouAvg) : '');
    },
  };
}
