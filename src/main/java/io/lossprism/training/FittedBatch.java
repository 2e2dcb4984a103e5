package io.lossprism.training;

import io.lossprism.data.SegmentationBatch;
import java.nio.ByteOrder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch between {@code fit()} and its decomposition: the masks it trained on, a copy of the network's
 * output detached from every workspace, and the step's counters. A slot, reused: the training thread fills
 * it, hands it to whoever decomposes it, and fills it again only after that one has released it, so the
 * decomposing thread reads arrays the training thread no longer touches.
 */
public final class FittedBatch {

    private final SegmentationBatch batch;
    private final INDArray output;
    private final float[] logits;
    private int epoch;
    private long iteration;
    private double score;
    private long fitNanos;
    private long captureNanos;
    private boolean captured;

    /**
     * @param batch the slot's batch: its masks are the slot's own, its images may be shared between slots
     *     (they are copied into the network's input before the next fill)
     * @param outputShape the network output's shape, or null for a slot of a trainer that does not monitor
     */
    // "try": the workspace scope is never referenced, it only keeps the array out of any workspace
    @SuppressWarnings("try")
    FittedBatch(SegmentationBatch batch, long[] outputShape) {
        this.batch = batch;
        if (outputShape == null) {
            this.output = null;
            this.logits = null;
        } else {
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                this.output = Nd4j.create(DataType.FLOAT, outputShape, 'c');
            }
            this.logits = new float[(int) output.length()];
        }
    }

    SegmentationBatch batch() {
        return batch;
    }

    /**
     * Copies the network's output out of its workspace, inside {@code fit()} (one native copy; the copy to
     * the Java heap waits for the decomposing thread).
     */
    void capture(INDArray activations) {
        long start = System.nanoTime();
        output.assign(activations);
        captureNanos = System.nanoTime() - start;
        captured = true;
    }

    /** Starts a new use of the slot: nothing captured yet. */
    void clear() {
        captured = false;
        captureNanos = 0;
    }

    boolean captured() {
        return captured;
    }

    void fitted(int fittedEpoch, long fittedIteration, double fittedScore, long nanos) {
        this.epoch = fittedEpoch;
        this.iteration = fittedIteration;
        this.score = fittedScore;
        this.fitNanos = nanos;
    }

    /** The captured output, NCHW, on the Java heap; the array is the slot's and is reused. */
    float[] logits() {
        if (!captured) {
            throw new IllegalStateException("no network output was captured for iteration " + iteration);
        }
        output.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(logits);
        return logits;
    }

    /** The masks the batch trained on, NCHW. */
    float[] masks() {
        return batch.masks();
    }

    public int epoch() {
        return epoch;
    }

    /** 1-based iteration over the whole run. */
    public long iteration() {
        return iteration;
    }

    /** DL4J's score for the batch, before the update ({@link ComputationGraph#score()} after {@code fit()}). */
    public double score() {
        return score;
    }

    /** Time inside {@code fit()}, the capture included. */
    public long fitNanos() {
        return fitNanos;
    }

    /** Time the capture copied inside {@code fit()}: the part of monitoring left on the training thread. */
    public long captureNanos() {
        return captureNanos;
    }
}
