/**
 * Pure math of LossPrism: the exact decomposition of a segmentation loss into per-class terms,
 * each split into positive- and negative-pixel parts, and the per-class confusion counts
 * (IoU, Dice, precision, recall) at a threshold.
 *
 * <p>Nothing here imports Vert.x or Deeplearning4j: inputs are flat {@code float[]} or {@code double[]}
 * arrays with an explicit {@link io.lossprism.loss.Layout}, outputs are immutable records. A
 * {@link io.lossprism.loss.Convention} says whose arithmetic a loss follows (Keras on each backend,
 * PyTorch, DL4J) and its defaults; each element's loss is computed as that framework computes it, in the
 * precision of the prediction array ({@link io.lossprism.loss.Precision}), and the sums are accumulated
 * in {@code double}, so that the class terms add up to the aggregate to ~1e-12 relative and the
 * aggregate matches the framework's own number to its float32 rounding.
 */
package io.lossprism.loss;
