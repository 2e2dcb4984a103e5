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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the training loop one batch at a time: fills a batch, fits the network once, and decomposes
 * the loss of exactly that forward pass. Knows nothing of Vert.x; one thread at a time.
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
    private final SegmentationBatch batch;
    private final int trainImages;
    private final int iterationsPerEpoch;
    private final long[] featureShape;
    private final long[] labelShape;
    private final INDArray features;
    private final INDArray labels;

    private final boolean monitoring;
    private final Validation validation;
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
        int batchSize = training.batchSize();
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
        this.batch = SegmentationBatch.allocate(batchSize, size, classes);
        this.featureShape = new long[] {batchSize, UNet.INPUT_CHANNELS, size, size};
        this.labelShape = new long[] {batchSize, classes, size, size};
        this.capture = new LogitsCapture(built.logitsVertex(), labelShape);
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
        position = (int) (iteration % iterationsPerEpoch) * batch.size();
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

    /** Time the last step spent copying the network's output inside {@code fit()}; 0 without monitoring. */
    public long captureNanos() {
        return monitoring ? capture.copyNanos() : 0;
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

    /** Trains on the next batch. The result's decomposition is null when monitoring is off. */
    public StepResult step() {
        if (finished()) {
            throw new IllegalStateException("training already finished after " + training.epochs() + " epochs");
        }
        long filling = System.nanoTime();
        int[] indices = new int[batch.size()];
        System.arraycopy(order, position, indices, 0, indices.length);
        data.fill(Split.TRAIN, indices, batch);

        features.data().setData(batch.images());
        labels.data().setData(batch.masks());
        capture.arm();
        long start = System.nanoTime();
        dataNanos = start - filling;
        if (timer != null) {
            timer.begin();
        }
        network.fit(new DataSet(features, labels));
        long fitted = System.nanoTime();
        double score = network.score();
        var decomposition = monitoring ? decomposer.decompose(batch.masks(), capture.logits()) : null;
        long monitored = System.nanoTime();

        iteration++;
        long monitorNanos = monitoring ? monitored - fitted + capture.copyNanos() : 0;
        StepResult result = new StepResult(epoch, iteration, score, decomposition, fitted - start, monitorNanos);
        advance();
        return result;
    }

    private void advance() {
        position += batch.size();
        if (position / batch.size() >= iterationsPerEpoch) {
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
