/**
 * Training with Deeplearning4j (with {@code io.lossprism.model}, the packages that import it): the U-Net,
 * the choice of network ({@code Networks}: the U-Net or a file), the oneDNN switch, the listener that
 * captures the network output inside {@code fit()}, the trainer that steps through batches, the monitor
 * thread that decomposes each fitted batch off the training thread ({@code MonitorQueue}), checkpoints,
 * the sampler that predicts fixed probe images for the dashboard, and the worker verticle that runs the
 * trainer without blocking an event loop, publishes a report per batch and writes the run's history
 * through its {@link io.lossprism.training.RunJournal}. What the verticle decides is kept in small
 * classes without DL4J: when to checkpoint ({@code CheckpointPolicy}), when to validate, sample and log
 * ({@code MonitorSchedule}), the smoothed speed ({@code Throughput}) and the progress line
 * ({@code ProgressLine}). Two failures are the user's to resolve, not the verticle's: a full disk
 * ({@link io.lossprism.training.DiskFullException}, the run pauses) and a history beyond any readable
 * checkpoint ({@link io.lossprism.training.UnresumableRunException}, the run is kept, not started over).
 */
package io.lossprism.training;
