/**
 * Benchmarks run from the command line; they print figures and assert nothing. {@code TrainingBenchmark}:
 * training throughput with and without monitoring; {@code FeedBenchmark}: live feed latency to many
 * WebSocket clients, and with {@code --storm} ({@code FeedStormBenchmark}) what a crowd of them
 * connecting at once costs training and other requests; {@code SoakBenchmark}: memory over a long run with dashboard clients;
 * {@code StoreBenchmark}: the run history's append and retention rates and bytes per report.
 */
package io.lossprism.bench;
