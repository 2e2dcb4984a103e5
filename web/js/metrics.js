/*
 * Pure arithmetic on batch reports: shares, class states, the reduction chain of a convention and the
 * run's progress and ETA. No DOM here. What the server sends for all classes together (the micro, macro
 * and frequency-weighted averages of IoU and Dice, the mean loss per positive pixel, the smoothed
 * images per second) is read, never recomputed: see docs/protocol.md.
 */

import { isNum } from './util.js';

export const CLASS_STATES = {
  present: 'present',
  absentCorrect: 'absent',
  absentPredicted: 'absent, predicted',
};

function num(v) {
  return isNum(v) ? v : 0;
}

/** present / absentCorrect / absentPredicted, from the confusion counts. */
export function classState(c) {
  if (num(c.tp) + num(c.fn) > 0) return 'present';
  return num(c.fp) === 0 ? 'absentCorrect' : 'absentPredicted';
}

const NO_AVERAGES = Object.freeze({ micro: null, macro: null, frequencyWeighted: null });

/** The server's micro, macro and frequency-weighted average of 'iou' or 'dice' of a report; null where undefined or absent. */
export function reportAverages(msg, metric) {
  const a = msg && msg[metric === 'dice' ? 'dice' : 'iou'];
  if (!a || typeof a !== 'object') return NO_AVERAGES;
  return {
    micro: isNum(a.micro) ? a.micro : null,
    macro: isNum(a.macro) ? a.macro : null,
    frequencyWeighted: isNum(a.frequencyWeighted) ? a.frequencyWeighted : null,
  };
}

/** Classes of a batch in index order. */
export function sortedClasses(msg) {
  const classes = Array.isArray(msg && msg.classes) ? msg.classes.filter((c) => c && typeof c === 'object') : [];
  return classes.slice().sort((a, b) => num(a.index) - num(b.index));
}

function share(part, whole) {
  return isNum(part) && isNum(whole) && whole !== 0 ? part / whole : null;
}

/**
 * One row per class of the latest batch, with the shares the table and the chain show:
 * share of the loss, of the positive pixels and of the errors (FP + FN).
 */
export function classRows(msg, names) {
  const classes = sortedClasses(msg);
  let positives = 0;
  let errors = 0;
  for (const c of classes) {
    positives += num(c.tp) + num(c.fn);
    errors += num(c.fp) + num(c.fn);
  }
  return classes.map((c, i) => {
    const pos = num(c.tp) + num(c.fn);
    const err = num(c.fp) + num(c.fn);
    return {
      index: i,
      name: names && names[i] !== undefined ? names[i] : String(c.name),
      loss: isNum(c.loss) ? c.loss : null,
      positiveLoss: isNum(c.positiveLoss) ? c.positiveLoss : null,
      negativeLoss: isNum(c.negativeLoss) ? c.negativeLoss : null,
      lossShare: share(c.loss, msg.loss),
      positives: pos,
      positiveShare: positives === 0 ? null : pos / positives,
      errors: err,
      errorShare: errors === 0 ? null : err / errors,
      prevalence: isNum(c.prevalence) ? c.prevalence : null,
      meanPositiveLoss: isNum(c.meanPositiveLoss) ? c.meanPositiveLoss : null,
      meanNegativeLoss: isNum(c.meanNegativeLoss) ? c.meanNegativeLoss : null,
      iou: isNum(c.iou) ? c.iou : null,
      dice: isNum(c.dice) ? c.dice : null,
      tp: num(c.tp),
      fp: num(c.fp),
      fn: num(c.fn),
      tn: num(c.tn),
      state: classState(c),
    };
  });
}

/**
 * The failing class: lowest defined IoU; ties go to the class with the larger share of the errors.
 * Returns its index in rows, or -1 when no IoU is defined.
 */
export function worstIndex(rows) {
  let worst = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.iou === null) continue;
    if (worst < 0) {
      worst = i;
      continue;
    }
    const w = rows[worst];
    if (r.iou < w.iou - 1e-12 || (Math.abs(r.iou - w.iou) <= 1e-12 && num(r.errorShare) > num(w.errorShare))) worst = i;
  }
  return worst;
}

/**
 * The numbers of the reduction chain of one batch: what the sum over all per-element losses is
 * divided by in the batch's convention, and every intermediate value.
 *   dl4j:        L = (1/N) sum_n sum_c sum_p l          (sum over classes and pixels, mean over images)
 *   keras/torch: L = (1/(N P C)) sum_n sum_c sum_p l    (mean over everything)
 * P (pixels per image and class) comes from the counts: (TP + FP + FN + TN) / N.
 */
export function reductionChain(msg, rows) {
  const convention = typeof msg.convention === 'string' ? msg.convention.toLowerCase() : 'dl4j';
  const images = isNum(msg.images) && msg.images > 0 ? msg.images : null;
  const c = rows.length;
  const first = rows[0];
  const perClassElements = first ? first.tp + first.fp + first.fn + first.tn : 0;
  const pixels = images && perClassElements > 0 ? perClassElements / images : null;
  const elements = images && pixels ? images * pixels * c : null;
  const sumsOverPixels = convention === 'dl4j';
  const pixelDivisor = sumsOverPixels ? 1 : (pixels && c ? pixels * c : null);
  const divisor = sumsOverPixels ? images : elements;
  const sums = rows.map((r) => (r.loss !== null && divisor ? r.loss * divisor : null));
  const total = sums.every((s) => s !== null) ? sums.reduce((a, b) => a + b, 0) : null;
  const perImage = total !== null && pixelDivisor ? total / pixelDivisor : null;
  const result = perImage !== null && images ? perImage / images : null;
  return {
    convention: convention,
    sumsOverPixels: sumsOverPixels,
    images: images,
    pixels: pixels,
    classes: c,
    elements: elements,
    meanElementLoss: isNum(msg.meanElementLoss) ? msg.meanElementLoss : (total !== null && elements ? total / elements : null),
    sums: sums,
    total: total,
    pixelDivisor: pixelDivisor,
    perImage: perImage,
    divisor: divisor,
    result: result,
    loss: isNum(msg.loss) ? msg.loss : null,
    reportedLoss: isNum(msg.reportedLoss) ? msg.reportedLoss : null,
    residual: isNum(msg.residual) ? msg.residual : null,
  };
}

/**
 * Where the run stands: epoch and in-epoch iteration progress and the ETA from the remaining
 * iterations and the trainer's smoothed throughput (images/s over images per iteration).
 */
export function progress(status, imagesPerIteration, smoothedImagesPerSecond) {
  const ipe = isNum(status.iterationsPerEpoch) && status.iterationsPerEpoch > 0 ? status.iterationsPerEpoch : null;
  const epochs = isNum(status.epochs) && status.epochs > 0 ? status.epochs : null;
  const iteration = isNum(status.iteration) && status.iteration > 0 ? status.iteration : 0;
  const total = ipe && epochs ? ipe * epochs : null;
  const finished = status.state === 'finished';
  const done = total === null ? null : (finished ? total : Math.min(iteration, total));
  const epochsDone = ipe && epochs ? Math.min(epochs, done / ipe) : null;
  let inEpoch = null;
  if (ipe) {
    if (finished || (total !== null && iteration >= total)) inEpoch = ipe;
    else inEpoch = iteration === 0 ? 0 : ((iteration - 1) % ipe) + 1;
  }
  const remaining = total === null ? null : Math.max(0, total - done);
  const perIteration = isNum(imagesPerIteration) && imagesPerIteration > 0 ? imagesPerIteration : null;
  const iterationsPerSecond = perIteration && isNum(smoothedImagesPerSecond) && smoothedImagesPerSecond > 0
    ? smoothedImagesPerSecond / perIteration : null;
  const eta = remaining !== null && iterationsPerSecond ? remaining / iterationsPerSecond : null;
  return {
    epochs: epochs,
    epochsDone: epochsDone,
    currentEpoch: epochs === null ? null : Math.min(epochs, Math.floor(num(status.epoch)) + 1),
    iterationsPerEpoch: ipe,
    inEpoch: inEpoch,
    iteration: iteration,
    total: total,
    remaining: remaining,
    etaSeconds: eta,
  };
}
