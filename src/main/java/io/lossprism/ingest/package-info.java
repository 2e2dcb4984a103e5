/**
 * The ingest API: Keras and PyTorch runs ("external" runs) stream each batch's per-class sums over HTTP,
 * and LossPrism turns them into the same {@link io.lossprism.bus.BatchReport} a DL4J batch gives, so the
 * store, live feed, metrics and alerts treat both alike.
 *
 * <p>{@link io.lossprism.ingest.IngestApi} reads and bounds the requests (token, rate per run and address,
 * body and decompressed size) and hands them over the event bus to {@link io.lossprism.ingest.IngestVerticle},
 * which owns the live external runs, checks each record against its run ({@link
 * io.lossprism.ingest.RecordParser}), assembles the reports ({@link io.lossprism.ingest.ReportAssembler}, pure
 * arithmetic), stores them once per (run, split, step) and publishes the new ones on
 * {@link io.lossprism.bus.Addresses#BATCH_REPORT}.
 */
package io.lossprism.ingest;
