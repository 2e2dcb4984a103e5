/*
 * The training state in the header and the progress panel: epoch and in-epoch iteration progress
 * bars (role=progressbar with aria values), images per second and the ETA from the remaining
 * iterations and the throughput the trainer smooths (shown as sent, not smoothed again).
 */

import { DASH, duration, isNum, setText } from './util.js';
import { progress } from './metrics.js';

const ETA_BY_STATE = { paused: 'paused', stopped: 'stopped', finished: 'done', failed: 'failed', unresumable: 'cannot resume' };

function setBar(bar, fill, value, max, text) {
  const known = isNum(value) && isNum(max) && max > 0;
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', known ? String(max) : '1');
  bar.setAttribute('aria-valuenow', known ? String(Math.round(value * 100) / 100) : '0');
  bar.setAttribute('aria-valuetext', text);
  fill.style.width = known ? (Math.max(0, Math.min(1, value / max)) * 100).toFixed(2) + '%' : '0';
}

/** The note beside the ETA: the throughput it assumes and the iterations left. */
export function etaNote(imagesPerSecond, remaining) {
  if (!isNum(imagesPerSecond) || imagesPerSecond <= 0) return '';
  return 'at ' + imagesPerSecond.toFixed(1) + ' images/s (smoothed)'
    + (remaining === null ? '' : ', ' + remaining.toLocaleString('en-US') + ' iterations left');
}

/** els: {state, epoch, iteration, ips, eta, etaNote, epochBar, epochFill, epochText, iterBar, iterFill, iterText}. */
export function createProgress(els) {
  return {
    /** status: the merged training status (imagesPerSecond as the trainer smoothed it); imagesPerIteration: the batch size. */
    render(status, imagesPerIteration) {
      const p = progress(status, imagesPerIteration, status.imagesPerSecond);
      setText(els.state, status.state);
      els.state.dataset.state = status.state;
      const started = p.iteration > 0 || status.state !== 'starting';
      const epochShown = p.epochs === null ? (started ? Math.floor(status.epoch || 0) + 1 : 0) : (started ? p.currentEpoch : 0);
      setText(els.epoch, epochShown + '/' + (p.epochs === null ? '?' : p.epochs));
      setText(els.iteration, String(p.iteration));
      els.iteration.title = p.total === null ? '' : 'of ' + p.total + ' iterations in the run';
      setText(els.ips, isNum(status.imagesPerSecond) && status.imagesPerSecond > 0 ? status.imagesPerSecond.toFixed(1) : DASH);

      const epochText = p.epochs === null ? 'unknown'
        : 'epoch ' + epochShown + ' of ' + p.epochs + ' (' + (p.epochsDone === null ? '?' : (100 * p.epochsDone / p.epochs).toFixed(1)) + '% of the run)';
      setBar(els.epochBar, els.epochFill, p.epochsDone, p.epochs, epochText);
      setText(els.epochText, epochText);
      const iterText = p.iterationsPerEpoch === null ? 'unknown'
        : 'iteration ' + p.inEpoch + ' of ' + p.iterationsPerEpoch + ' in this epoch';
      setBar(els.iterBar, els.iterFill, p.inEpoch, p.iterationsPerEpoch, iterText);
      setText(els.iterText, iterText);

      let eta;
      if (ETA_BY_STATE[status.state]) eta = ETA_BY_STATE[status.state];
      else if (p.etaSeconds === null) eta = DASH;
      else eta = duration(p.etaSeconds);
      setText(els.eta, eta);
      els.eta.dataset.seconds = p.etaSeconds === null ? '' : String(Math.round(p.etaSeconds));
      els.eta.title = p.remaining === null ? '' : p.remaining + ' iterations left';
      setText(els.etaNote, etaNote(status.imagesPerSecond, p.remaining));
    },
  };
}
