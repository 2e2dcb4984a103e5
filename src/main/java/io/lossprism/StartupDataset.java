package io.lossprism;

import io.lossprism.config.AppConfig;
import io.lossprism.data.Dataset;
import io.lossprism.data.Datasets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The datasets runs train on. The server's own dataset is opened (and so checked) at start, before the
 * store, the token or the port exist, so that a dataset that cannot be used is refused with nothing
 * created; the first run that asks for the same data gets that one, without loading it twice. Any other
 * request opens its dataset when it is made.
 */
final class StartupDataset implements Function<AppConfig, Dataset> {

    private final AppConfig server;
    private final AtomicReference<Dataset> opened;

    private StartupDataset(AppConfig server, Dataset opened) {
        this.server = server;
        this.opened = new AtomicReference<>(opened);
    }

    /**
     * Opens the server's dataset now.
     *
     * @throws io.lossprism.data.DatasetException when it cannot be used
     */
    static StartupDataset open(AppConfig server) {
        return new StartupDataset(server, Datasets.open(server.data(), server.training()));
    }

    @Override
    public Dataset apply(AppConfig config) {
        if (sameData(config)) {
            Dataset first = opened.getAndSet(null); // handed out once: a later run gets fresh data, as before
            if (first != null) {
                return first;
            }
        }
        return Datasets.open(config.data(), config.training());
    }

    /** The settings a dataset is built from: the data section, the image size, the classes, the batch size. */
    private boolean sameData(AppConfig config) {
        return config.data().equals(server.data())
                && config.training().imageSize() == server.training().imageSize()
                && config.training().batchSize() == server.training().batchSize()
                && Objects.equals(config.training().classes(), server.training().classes());
    }
}
