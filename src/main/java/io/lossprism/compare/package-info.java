/**
 * Putting runs side by side, as pure logic: a run's per-class series ({@link io.lossprism.compare.RunSeries}:
 * IoU, Dice and loss term per class, and the aggregate loss, by iteration), downsampled keeping extremes
 * with {@link io.lossprism.series.Downsampler}; their alignment on one iteration axis and the latest
 * iteration all runs reported ({@link io.lossprism.compare.Alignment}); a run's values at an iteration; and
 * the configuration keys whose values differ between runs ({@link io.lossprism.compare.ConfigDifferences}).
 *
 * <p>No Vert.x, no DL4J: the HTTP side ({@code http.CompareApi}) reads the store and writes the JSON.
 * Undefined values are NaN here and null in JSON.
 */
package io.lossprism.compare;
