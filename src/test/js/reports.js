// Feed messages for the tests, shaped as docs/protocol.md says, with numbers small enough to check by hand.
// Three classes over 2 images of 10 pixels (P = 10, N = 2, C = 3), DL4J convention:
// a found well (IoU 0.8), b absent and not predicted, c missed (IoU 0.1); terms 5 + 2.5 + 5 = 12.5.

function cls(index, name, loss, tp, fp, fn, tn, iou) {
  const positives = tp + fn;
  return {
    index, name, loss,
    positiveLoss: loss * 0.6, negativeLoss: loss * 0.4,
    meanPositiveLoss: positives === 0 ? null : (loss * 0.6 * 2) / positives,
    meanNegativeLoss: (loss * 0.4 * 2) / (20 - positives),
    prevalence: positives / 20,
    tp, fp, fn, tn,
    iou, dice: iou === null ? null : (2 * iou) / (1 + iou),
    precision: null, recall: null,
  };
}

/** A batch; `over` replaces top-level fields (e.g. the server's averages). */
export function batch(iteration, split = 'train', over = {}) {
  return {
    type: 'batch', version: 1, split, epoch: Math.floor((iteration - 1) / 10), iteration,
    timestamp: 1_700_000_000_000 + iteration, images: 2, convention: 'dl4j',
    loss: 12.5, reportedLoss: 12.5001, residual: 0.0001, meanElementLoss: (12.5 * 2) / 60,
    meanPositiveLoss: 0.75, imagesPerSecond: 20,
    iou: { micro: 0.45, macro: 0.45, frequencyWeighted: 0.45 },
    dice: { micro: 0.6, macro: 0.5, frequencyWeighted: 0.55 },
    // listed out of index order on purpose: the page orders classes by index
    classes: [cls(2, 'c', 5, 1, 1, 8, 10, 0.1), cls(0, 'a', 5, 8, 1, 1, 10, 0.8), cls(1, 'b', 2.5, 0, 0, 0, 20, null)],
    ...over,
  };
}

export function history(split, after, iterations, over = {}) {
  return {
    type: 'history', split, after, total: iterations.length,
    reports: iterations.map((i) => batch(i, split)), downsampled: false, ...over,
  };
}

export function status(state, iteration, over = {}) {
  return {
    type: 'status', state, epoch: Math.floor(iteration / 10), epochs: 3, iteration, iterationsPerEpoch: 10,
    imagesPerSecond: 20, message: '', ...over,
  };
}

export function hello(runId, state, over = {}) {
  return {
    type: 'hello', version: 1, run: { id: runId, state, createdAt: 1_700_000_000_000 },
    classes: ['a', 'b', 'c'], imageSize: 4, batchSize: 2, epochs: 3, iterationsPerEpoch: 10,
    convention: 'dl4j', controlsNeedToken: true, status: status(state, 0), ...over,
  };
}

/** A history in the columnar form (protocol 2), written from these batches as docs/protocol.md says. */
export function columnarHistory(split, after, iterations, over = {}) {
  const reports = iterations.map((i) => batch(i, split));
  const byIndex = (r) => r.classes.slice().sort((a, b) => a.index - b.index);
  const names = reports.length ? byIndex(reports[0]).map((c) => c.name) : [];
  const column = (of) => reports.map(of);
  const averages = (metric) => ({
    micro: column((r) => r[metric].micro), macro: column((r) => r[metric].macro),
    frequencyWeighted: column((r) => r[metric].frequencyWeighted),
  });
  const perClass = {};
  for (const f of ['loss', 'positiveLoss', 'negativeLoss', 'iou', 'dice']) {
    perClass[f] = names.map((_, c) => column((r) => byIndex(r)[c][f]));
  }
  return {
    type: 'history', format: 'columns', split, after, total: iterations.length, downsampled: false,
    classes: names, iteration: iterations.slice(), epoch: column((r) => r.epoch), loss: column((r) => r.loss),
    meanElementLoss: column((r) => r.meanElementLoss), imagesPerSecond: column((r) => r.imagesPerSecond),
    iou: averages('iou'), dice: averages('dice'), perClass,
    ...(reports.length ? { last: reports[reports.length - 1] } : {}),
    ...over,
  };
}
