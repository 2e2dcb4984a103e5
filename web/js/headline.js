/*
 * The sentence at the top of the page: the loss as the framework reports it and the class that fails
 * behind it (lowest IoU, its share of the loss against its share of the errors), the most pressing
 * firing alert, and the line of notes below it (a failure, the server's message, a protocol mismatch,
 * downsampled history).
 */

import { fixed, fmt, frameworkName, node, percent, setText, strong } from './util.js';
import { SPLITS } from './state.js';

export function conventionName(convention) {
  return frameworkName(convention) || 'the framework';
}

/** The notes shown under the headline, in order; none: the line is hidden. */
export function notes(status, versionWarning, chartsAvailable, downsampled) {
  const out = [];
  if (status.state === 'failed') out.push('Training failed' + (status.message ? ': ' + status.message : '.'));
  else if (status.state === 'unresumable') {
    // its history is kept; no readable checkpoint to continue from (runbook: Unresumable run)
    const why = status.message ? ': ' + status.message.replace(/\.?$/, '.') : '.';
    out.push('This run cannot be resumed' + why + ' Its history is kept; start a new run, or restore a readable checkpoint and resume.');
  } else if (status.message) out.push(status.message);
  if (versionWarning) out.push(versionWarning);
  if (!chartsAvailable) out.push('Charts unavailable: uPlot could not be loaded from /webjars.');
  for (const split of SPLITS) {
    if (downsampled[split]) out.push('Older ' + split + ' history was downsampled by the server (extremes kept).');
  }
  return out;
}

/** els: {headline, message}. */
export function createHeadline(els) {
  /** The sentence's parts, then the alert's: alertHeadline is {alert, text} or null. */
  function withAlert(parts, alertHeadline) {
    els.headline.dataset.alert = alertHeadline ? alertHeadline.alert.alertname : '';
    els.headline.dataset.alertClass = alertHeadline && alertHeadline.alert.class !== null ? alertHeadline.alert.class : '';
    if (!alertHeadline) return parts;
    const span = node('span', 'headline-alert');
    span.dataset.severity = alertHeadline.alert.severity;
    span.append(' — ', strong('alert:'), ' ' + alertHeadline.text);
    return parts.concat([span]);
  }

  function lossParts(msg, convention) {
    return convention === 'dl4j'
      ? ['Loss ', strong(fmt(msg.meanElementLoss, 3)), ' per element (', strong(fmt(msg.loss, 4)), ' as ' + conventionName(convention) + ' reports it)']
      : ['Loss ', strong(fmt(msg.loss, 4)), ' (mean over all elements, as ' + conventionName(convention) + ' reports it)'];
  }

  return {
    /**
     * msg: the latest training report (or null); rows and worst: its class rows and the failing one's
     * index (metrics.classRows, metrics.worstIndex); state: the training state.
     */
    render(msg, rows, worst, convention, state, alertHeadline) {
      if (!msg) {
        els.headline.replaceChildren(...withAlert([state === 'failed'
          ? 'Training failed before the first batch.'
          : 'Waiting for the first training batch…'], alertHeadline));
        els.headline.dataset.worst = '';
        return;
      }
      const parts = lossParts(msg, convention);
      if (worst < 0) {
        parts.push(' — IoU is not yet defined for any class.');
      } else {
        const c = rows[worst];
        parts.push(c.iou < 0.5 ? ' — but class ' : ' — lowest IoU: class ');
        parts.push(strong(c.name, 'worst-name'), ' has IoU ', strong(fixed(c.iou, 2)));
        if (c.lossShare !== null) parts.push(' and makes up ' + percent(c.lossShare) + ' of the loss');
        if (c.errorShare !== null && c.lossShare !== null) parts.push(' but ' + percent(c.errorShare) + ' of the errors');
        parts.push('.');
      }
      els.headline.replaceChildren(...withAlert(parts, alertHeadline));
      els.headline.dataset.worst = worst < 0 ? '' : rows[worst].name;
    },

    /** The notes line; failed: shown as an error. */
    renderNotes(lines, failed) {
      setText(els.message, lines.join(' '));
      els.message.hidden = lines.length === 0;
      els.message.dataset.kind = failed ? 'error' : 'info';
    },
  };
}
