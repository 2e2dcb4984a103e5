/**
 * Pure math of LossPrism: the exact decomposition of a segmentation loss into per-class terms,
 * each split into positive- and negative-pixel parts, and the per-class confusion counts
 * (IoU, Dice, precision, recall) at a threshold.
 *
 * <p>Nothing here imports Vert.x or Deeplearning4j: inputs are flat {@code float[]} arrays with an
 * explicit {@link io.lossprism.loss.Layout}, outputs are immutable records. Sums are accumulated in
 * {@code double} so that the class terms add up to the aggregate to ~1e-12 relative, far tighter than
 * the float32 score a framework reports.
 */
package io.lossprism.loss;
