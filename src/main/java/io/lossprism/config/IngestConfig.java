package io.lossprism.config;

/**
 * Bounds of the ingest API, through which Keras and PyTorch runs stream their per-class sums.
 *
 * @param maxLiveRuns          external runs that may be live (created, not finished) at once
 * @param maxBodyBytes         largest request body as sent (compressed, if gzip)
 * @param maxDecompressedBytes largest body after gzip decompression
 * @param maxRecordsPerRequest batch records in one request
 * @param maxClasses           classes of one external run
 * @param requestsPerSecond    batch requests per run and client address per second (bursts of twice that)
 */
public record IngestConfig(
        int maxLiveRuns,
        int maxBodyBytes,
        int maxDecompressedBytes,
        int maxRecordsPerRequest,
        int maxClasses,
        int requestsPerSecond) {

    /** The defaults of the {@code ingest} keys (config/default.yaml). */
    public static final IngestConfig DEFAULTS = new IngestConfig(8, 1_048_576, 8_388_608, 1000, 64, 10);
}
