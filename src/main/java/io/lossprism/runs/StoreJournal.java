package io.lossprism.runs;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.StorageConfig;
import io.lossprism.store.RetentionResult;
import io.lossprism.store.RunStore;
import io.lossprism.store.StoreFullException;
import io.lossprism.training.DiskFullException;
import io.lossprism.training.RunJournal;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one run's history to the {@link RunStore}, in the JSON the feed and the API serve: the only class
 * that writes to the store. The run manager creates the run through it and records a start that failed;
 * in between, the run's training verticle is its only caller.
 */
final class StoreJournal implements RunJournal {

    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);

    private final RunStore store;
    private final String runId;
    private final StorageConfig retention;

    StoreJournal(RunStore store, String runId, StorageConfig retention) {
        this.store = store;
        this.runId = runId;
        this.retention = retention;
    }

    /** Stores a new run with the configuration values it starts with (JSON); an existing id is an error. */
    void create(String configJson) {
        store.createRun(runId, configJson, System.currentTimeMillis());
    }

    @Override
    public void record(BatchReport report) {
        String json = ReportJson.batch(report).encode();
        write(() -> {
            store.appendReport(runId, report.split(), report.iteration(), json);
            return null;
        });
    }

    @Override
    public void record(TrainingStatus status) {
        write(() -> {
            store.updateRun(
                    runId,
                    status.state().label(),
                    status.iteration(),
                    status.epoch(),
                    status.message(),
                    System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public void recordState(TrainingStatus status) {
        write(() -> {
            store.updateState(runId, status.state().label(), status.message(), System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public long lastIteration() {
        return store.lastIteration(runId);
    }

    @Override
    public void record(AlertEvent alert) {
        String json = ReportJson.alert(alert).encode();
        write(() -> {
            store.appendAlert(runId, alert.iteration(), alert.timestamp(), json);
            return null;
        });
    }

    @Override
    public void rewind(long iteration) {
        int dropped = write(() -> store.truncateAfter(runId, iteration));
        if (dropped > 0) {
            LOG.info(
                    "run {}: dropped {} stored reports and alerts after checkpoint iteration {}",
                    runId,
                    dropped,
                    iteration);
        }
    }

    @Override
    public void compact(long iteration) {
        long boundary = iteration - retention.detailIterations();
        if (boundary > 0) {
            RetentionResult result = write(() -> store.downsample(runId, boundary, retention.downsampleFactor()));
            if (result.rowsAfter() < result.rowsBefore()) {
                LOG.info(
                        "run {}: merged reports before iteration {}: rows {} -> {}",
                        runId,
                        boundary,
                        result.rowsBefore(),
                        result.rowsAfter());
            }
        }
    }

    /** A full disk, as the training side knows it: the store's exception carries the folder and the room needed. */
    private static <T> T write(Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreFullException e) {
            throw new DiskFullException(e.getMessage(), e.folder(), e);
        }
    }
}
