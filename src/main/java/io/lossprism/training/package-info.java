/**
 * Training with Deeplearning4j (with {@code io.lossprism.model}, the packages that import it): the U-Net,
 * the choice of network ({@code Networks}: the U-Net or a file), the oneDNN switch, the listener that
 * captures the network output inside {@code fit()}, the trainer that steps through batches, the
 * sampler that predicts fixed probe images for the dashboard, and the worker verticle that runs the
 * trainer without blocking an event loop and publishes a report per batch.
 */
package io.lossprism.training;
