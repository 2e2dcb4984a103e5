package io.lossprism.training;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Splits {@code fit()} into the phases DL4J announces to its listeners: the forward pass (up to
 * {@code onForwardPass}), the backward pass (up to {@code onBackwardPass}) and the updater with the
 * parameter update (up to {@code iterationDone}). Listeners that copy out of the forward pass run
 * before the backward pass starts and count towards it; put this one first. Sums over the steps timed.
 */
public final class StepTimer extends BaseTrainingListener {

    private long start;
    private long forwardEnd;
    private long backwardEnd;
    private long forwardNanos;
    private long backwardNanos;
    private long updateNanos;
    private int steps;

    /** Call right before {@code fit()}. */
    void begin() {
        start = System.nanoTime();
        forwardEnd = 0;
        backwardEnd = 0;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (forwardEnd == 0) {
            forwardEnd = System.nanoTime();
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        onForwardPass(model, Map.of());
    }

    @Override
    public void onBackwardPass(Model model) {
        backwardEnd = System.nanoTime();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long end = System.nanoTime();
        if (forwardEnd == 0 || backwardEnd == 0) {
            return; // not a step this timer saw begin
        }
        forwardNanos += forwardEnd - start;
        backwardNanos += backwardEnd - forwardEnd;
        updateNanos += end - backwardEnd;
        steps++;
    }

    public int steps() {
        return steps;
    }

    /** Mean milliseconds per step of the forward pass. */
    public double forwardMillis() {
        return mean(forwardNanos);
    }

    /** Mean milliseconds per step from the end of the forward pass to the end of the backward pass. */
    public double backwardMillis() {
        return mean(backwardNanos);
    }

    /** Mean milliseconds per step of the updater and the parameter update. */
    public double updateMillis() {
        return mean(updateNanos);
    }

    private double mean(long nanos) {
        return steps == 0 ? Double.NaN : nanos / 1e6 / steps;
    }
}
