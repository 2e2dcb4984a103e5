package io.lossprism.training;

import io.lossprism.config.AppConfig;
import io.lossprism.config.TrainingConfig;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.data.SyntheticShapes;
import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Convention;
import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
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

    private final TrainingConfig training;
    private final SyntheticShapes data;
    private final ComputationGraph network;
    private final LogitsCapture capture;
    private final Decomposer decomposer;
    private final SegmentationBatch batch;
    private final int trainImages;
    private final int iterationsPerEpoch;
    private final long[] featureShape;
    private final long[] labelShape;
    private final INDArray features;
    private final INDArray labels;

    private final boolean monitoring;
    private final Validation validation;
    private int[] order;
    private int epoch;
    private int position;
    private long iteration;

    public Trainer(AppConfig config) {
        this(config, true);
    }

    /** @param monitoring false runs the bare training loop, for the overhead benchmark */
    public Trainer(AppConfig config, boolean monitoring) {
        this.training = config.training();
        this.monitoring = monitoring;
        int size = training.imageSize();
        int classes = training.classCount();
        int batchSize = training.batchSize();
        OneDnn.enableHelpers();
        this.data = new SyntheticShapes(size, classes, config.data().seed(), config.data().balanced());
        this.network = UNet.build(training);
        this.batch = SegmentationBatch.allocate(batchSize, size, classes);
        this.featureShape = new long[] {batchSize, UNet.INPUT_CHANNELS, size, size};
        this.labelShape = new long[] {batchSize, classes, size, size};
        this.capture = new LogitsCapture(UNet.LOGITS, labelShape);
        // one native copy of the batch, refilled every step: no allocation (and no page faults) per step
        this.features = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, featureShape, 'c');
        this.labels = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, labelShape, 'c');
        if (monitoring) {
            network.setListeners(capture);
        }
        // the loss DL4J trains with, in DL4J's convention, so the terms reconcile with its score
        LossSpec loss = LossSpec.of(LossFunction.BCE, Convention.DL4J, true, UNet.classWeights(training));
        this.decomposer = new Decomposer(BatchShape.of(batchSize, classes, size, size), Layout.NCHW, loss);
        this.trainImages = config.data().trainImages();
        this.iterationsPerEpoch = trainImages / batchSize;
        this.order = shuffled(0);
        this.validation = config.data().validationImages() > 0
                ? new Validation(data, config.data().validationImages(), batchSize, loss) : null;
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
        return decomposer.spec();
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

    /** Trains on the next batch. The result's decomposition is null when monitoring is off. */
    public StepResult step() {
        if (finished()) {
            throw new IllegalStateException("training already finished after " + training.epochs() + " epochs");
        }
        int[] indices = new int[batch.size()];
        System.arraycopy(order, position, indices, 0, indices.length);
        data.fill(Split.TRAIN, indices, batch);

        features.data().setData(batch.images());
        labels.data().setData(batch.masks());
        capture.arm();
        long start = System.nanoTime();
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
