package io.lossprism.training;

import io.lossprism.config.AppConfig;
import io.lossprism.config.TrainingConfig;
import io.lossprism.data.Dataset;
import io.lossprism.data.Datasets;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossSpec;
import io.lossprism.model.ModelSummary;
import io.lossprism.model.Network;
import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveDecomposer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the training loop one batch at a time: fills a batch, fits the network once, and decomposes
 * the loss of exactly that forward pass. Knows nothing of Vert.x. {@link #step} does both on the calling
 * thread; {@link #fit} and {@link #decompose} split them, so the decomposition can run on another thread
 * while the next batch trains. {@code fit} is called by one thread at a time, {@code decompose} by one.
 *
 * <p>Each epoch visits the training images in a fresh order drawn from (seed, epoch); a remainder
 * smaller than a batch is left out so every step has the same shape.
 */
public final class Trainer {

    private final AppConfig config;
    private final TrainingConfig training;
    private final Dataset data;
    private final ModelSummary model;
    private ComputationGraph network;
    private final LogitsCapture capture;
    private final ObjectiveDecomposer decomposer;
    /** Slots free to be filled; {@value #SLOTS} in all, so training never waits for one while
     * {@link #HANDOFF_CAPACITY} fitted batches wait for their decomposition. */
    private final BlockingQueue<FittedBatch> free;

    private final int batchSize;
    private final int trainImages;
    private final int iterationsPerEpoch;
    private final long[] featureShape;
    private final INDArray features;
    private final INDArray labels;

    private final boolean monitoring;
    private final Validation validation;
    /** Fitted batches that may wait for their decomposition on another thread (see {@link MonitorQueue}). */
    public static final int HANDOFF_CAPACITY = 1;
    /** One slot being filled, and one for each batch that may wait. */
    static final int SLOTS = HANDOFF_CAPACITY + 1;

    private StepTimer timer;
    private long dataNanos;
    private int[] order;
    private int epoch;
    private int position;
    private long iteration;

    public Trainer(AppConfig config) {
        this(config, true);
    }

    /** @param monitoring false runs the bare training loop, for the overhead benchmark */
    public Trainer(AppConfig config, boolean monitoring) {
        this(config, Datasets.open(config.data(), config.training()), monitoring);
    }

    /** Trains on {@code data}, whose image size and class count must match the training configuration. */
    public Trainer(AppConfig config, Dataset data, boolean monitoring) {
        this.config = config;
        this.training = config.training();
        this.monitoring = monitoring;
        int size = training.imageSize();
        int classes = training.classCount();
        this.batchSize = training.batchSize();
        OneDnn.enableHelpers();
        if (data.imageSize() != size || data.classes() != classes) {
            throw new IllegalArgumentException("dataset has " + data.imageSize() + " px images with " + data.classes()
                    + " classes, training expects " + size + " px and " + classes);
        }
        if (data.size(Split.TRAIN) < batchSize) {
            throw new IllegalArgumentException("the dataset has " + data.size(Split.TRAIN)
                    + " training images, fewer than training.batchSize (" + batchSize + ")");
        }
        this.data = data;
        Network built = Networks.open(config);
        this.network = built.graph();
        this.model = built.summary();
        this.featureShape = new long[] {batchSize, UNet.INPUT_CHANNELS, size, size};
        long[] labelShape = {batchSize, classes, size, size};
        this.capture = new LogitsCapture(built.logitsVertex());
        this.free = slots(SegmentationBatch.allocate(batchSize, size, classes), monitoring ? labelShape : null);
        // one native copy of the batch, refilled every step: no allocation (and no page faults) per step
        this.features = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, featureShape, 'c');
        this.labels = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, labelShape, 'c');
        listen();
        // the loss the output layer computes, in DL4J's convention, so the terms reconcile with its score
        Objective loss = built.loss();
        this.decomposer = new ObjectiveDecomposer(BatchShape.of(batchSize, classes, size, size), Layout.NCHW, loss);
        this.trainImages = data.size(Split.TRAIN);
        this.iterationsPerEpoch = trainImages / batchSize;
        this.order = shuffled(0);
        this.validation =
                data.size(Split.VALIDATION) > 0 ? new Validation(data, batchSize, loss, built.logitsVertex()) : null;
    }

    /**
     * Continues from a checkpoint: its network (with updater state) replaces the current one, and the
     * counters and data position move to where that checkpoint was taken. The epoch order is a pure
     * function of (seed, epoch), so the remaining batches of the epoch are exactly those that would have come.
     */
    public void restore(Checkpoints.Restored checkpoint) {
        network = checkpoint.network();
        listen();
        iteration = checkpoint.iteration();
        epoch = (int) (iteration / iterationsPerEpoch);
        position = (int) (iteration % iterationsPerEpoch) * batchSize;
        order = shuffled(epoch);
    }

    /** Starts over with freshly initialised weights, for a run whose weights broke before any checkpoint. */
    public void restart() {
        network = Networks.open(config).graph();
        listen();
        iteration = 0;
        epoch = 0;
        position = 0;
        order = shuffled(0);
    }

    /** Times the phases of every following step (the benchmark's breakdown). */
    public void timeWith(StepTimer stepTimer) {
        this.timer = stepTimer;
        listen();
    }

    /** Time the last step spent filling the batch: reading or drawing the images, copying them into the input. */
    public long dataNanos() {
        return dataNanos;
    }

    private void listen() {
        List<TrainingListener> listeners = new ArrayList<>();
        if (timer != null) {
            listeners.add(timer);
        }
        if (monitoring) {
            listeners.add(capture);
        }
        network.setListeners(listeners);
    }

    /** Training iterations completed. */
    public long iteration() {
        return iteration;
    }

    public int epoch() {
        return epoch;
    }

    public Dataset data() {
        return data;
    }

    /** True when the configuration has validation images. */
    public boolean hasValidation() {
        return validation != null;
    }

    /** Evaluates the whole validation split with the training loss's decomposition; no update. */
    public StepResult validate() {
        if (validation == null) {
            throw new IllegalStateException("no validation images configured");
        }
        long start = System.nanoTime();
        var decomposition = validation.evaluate(network);
        return new StepResult(epoch, iteration, Double.NaN, decomposition, 0, System.nanoTime() - start);
    }

    public int validationImages() {
        return validation == null ? 0 : validation.images();
    }

    /** The loss the network trains with, and so the one its reports decompose. */
    public LossSpec loss() {
        return decomposer.objective().spec();
    }

    /** The same loss with the weights of its parts: the specification reports carry. */
    public Objective objective() {
        return decomposer.objective();
    }

    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    public int epochs() {
        return training.epochs();
    }

    public boolean finished() {
        return epoch >= training.epochs();
    }

    public ComputationGraph network() {
        return network;
    }

    /** The network's source, size and shapes. */
    public ModelSummary model() {
        return model;
    }

    /** Trains on the next batch and decomposes it. The result's decomposition is null when monitoring is off. */
    public StepResult step() {
        return decompose(fit());
    }

    /**
     * Trains on the next batch. The returned slot holds what its decomposition needs; hand it to
     * {@link #decompose}, which frees it. Waits while every slot still waits for its decomposition.
     */
    public FittedBatch fit() {
        if (finished()) {
            throw new IllegalStateException("training already finished after " + training.epochs() + " epochs");
        }
        long filling = System.nanoTime();
        FittedBatch slot = take();
        int[] indices = new int[batchSize];
        System.arraycopy(order, position, indices, 0, indices.length);
        data.fill(Split.TRAIN, indices, slot.batch());

        NativeFill.copy(slot.batch().images(), features);
        NativeFill.copy(slot.batch().masks(), labels);
        if (monitoring) {
            capture.armFor(slot);
        }
        long start = System.nanoTime();
        dataNanos = start - filling;
        if (timer != null) {
            timer.begin();
        }
        try {
            network.fit(new DataSet(features, labels));
        } catch (RuntimeException | Error e) {
            free.add(slot);
            throw e;
        } finally {
            capture.disarm();
        }
        long fitted = System.nanoTime();
        iteration++;
        slot.fitted(epoch, iteration, network.score(), fitted - start);
        advance();
        return slot;
    }

    /**
     * Decomposes the loss of a batch {@link #fit} returned, and frees its slot. The per-class terms are those
     * of exactly that forward pass, on whichever thread this runs.
     */
    public StepResult decompose(FittedBatch fitted) {
        try {
            long start = System.nanoTime();
            var decomposition = monitoring ? decomposer.decompose(fitted.masks(), fitted.logits()) : null;
            long monitorNanos = monitoring ? System.nanoTime() - start + fitted.captureNanos() : 0;
            return new StepResult(
                    fitted.epoch(), fitted.iteration(), fitted.score(), decomposition, fitted.fitNanos(), monitorNanos);
        } finally {
            free.add(fitted);
        }
    }

    /**
     * A monitor thread, named {@code threadName}, that decomposes this trainer's fitted batches in order;
     * up to {@link #HANDOFF_CAPACITY} wait, {@code submit} blocks beyond. Close it after its last drain.
     */
    public MonitorQueue<FittedBatch, StepResult> monitorQueue(String threadName) {
        return new MonitorQueue<>(threadName, HANDOFF_CAPACITY, this::decompose);
    }

    private FittedBatch take() {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch slot to be decomposed", e);
        }
    }

    /** The slots share the images (copied into the network's input before the next fill); each has its masks. */
    private static BlockingQueue<FittedBatch> slots(SegmentationBatch first, long[] outputShape) {
        BlockingQueue<FittedBatch> slots = new ArrayBlockingQueue<>(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            SegmentationBatch batch = i == 0
                    ? first
                    : new SegmentationBatch(
                            first.size(),
                            first.imageSize(),
                            first.classes(),
                            first.images(),
                            new float[first.masks().length]);
            slots.add(new FittedBatch(batch, outputShape));
        }
        return slots;
    }

    private void advance() {
        position += batchSize;
        if (position / batchSize >= iterationsPerEpoch) {
            epoch++;
            position = 0;
            order = shuffled(epoch);
        }
    }

    private int[] shuffled(int forEpoch) {
        int[] indices = new int[trainImages];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        Random random = new Random(training.seed() * 31 + forEpoch);
        for (int i = indices.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = indices[i];
            indices[i] = indices[j];
            indices[j] = t;
        }
        return indices;
    }
}
