/**
 * Benchmarks run from the command line; they print figures and assert nothing. {@code TrainingBenchmark}:
 * training throughput with and without monitoring; {@code FeedBenchmark}: live feed latency to many
 * WebSocket clients.
 */
package io.lossprism.bench;
