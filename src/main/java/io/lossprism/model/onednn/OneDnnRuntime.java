package io.lossprism.model.onednn;

import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one oneDNN engine and stream, and the scratch buffers every convolution shares. Loaded on
 * first use. Calls run one at a time ({@link #locked}): layers run one after another anyway, and one
 * set of scratch buffers (sized for the largest layer) then serves them all, where per-layer copies would
 * cost several hundred MB at 256 px.
 */
public final class OneDnnRuntime {

    /** The environment variable that chooses the convolution code: {@code onednn} (default) or {@code dl4j}. */
    public static final String SWITCH = "LOSSPRISM_CONVOLUTION";

    /** The system property that does the same and wins over the variable (benchmarks and tests set it). */
    public static final String SWITCH_PROPERTY = "lossprism.convolution";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnRuntime.class);
    private static final Object LOADING = new Object();
    private static volatile OneDnnRuntime instance;
    private static volatile boolean tried;

    private final engine engine;
    private final stream stream;
    private final ScratchBuffers scratch;
    private final ReentrantLock lock = new ReentrantLock();

    private OneDnnRuntime() {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
        stream = new stream(engine);
        scratch = new ScratchBuffers(engine);
    }

    /**
     * Whether a LossPrism layer built now should use it: not switched off, and the library loads here.
     * Read when each layer is created, so a network keeps the choice it was built with.
     */
    public static boolean enabled() {
        return switchedOn() && onCpu() && get() != null;
    }

    /** ND4J's CPU backend: on CUDA, DL4J's cuDNN helpers serve and oneDNN is never loaded. */
    private static boolean onCpu() {
        return Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU;
    }

    /** The runtime, loading it on the first call; null when it cannot load (said once in the log). */
    static OneDnnRuntime get() {
        if (!tried) {
            synchronized (LOADING) {
                if (!tried) {
                    try {
                        instance = new OneDnnRuntime();
                    } catch (RuntimeException | LinkageError e) {
                        LOG.warn("oneDNN could not load ({}); convolutions use DL4J's helper", e.toString());
                    }
                    tried = true;
                }
            }
        }
        return instance;
    }

    private static boolean switchedOn() {
        String property = System.getProperty(SWITCH_PROPERTY);
        return property != null ? switchedOn(SWITCH_PROPERTY, property) : switchedOn(SWITCH, System.getenv(SWITCH));
    }

    static boolean switchedOn(String name, String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "onednn":
                return true;
            case "dl4j":
                return false;
            default:
                LOG.warn("{}={} is neither onednn nor dl4j; using onednn", name, value);
                return true;
        }
    }

    engine engine() {
        return engine;
    }

    stream stream() {
        return stream;
    }

    ScratchBuffers scratch() {
        return scratch;
    }

    /** Runs one layer's call alone: the stream and the scratch buffers are shared. */
    void locked(Runnable call) {
        lock.lock();
        try {
            call.run();
        } finally {
            lock.unlock();
        }
    }
}
