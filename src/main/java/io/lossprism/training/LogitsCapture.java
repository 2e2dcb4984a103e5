package io.lossprism.training;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies the network's pre-sigmoid output out of the forward pass that {@code fit()} runs anyway,
 * so monitoring needs no second forward pass. The activations live in a workspace that is recycled
 * after the callback, hence the copy: into a detached NCHW array, then into a reused {@code float[]}.
 */
final class LogitsCapture extends BaseTrainingListener {

    private final String vertex;
    private final INDArray detached;
    private final float[] logits;
    private boolean armed;
    private boolean captured;
    private long copyNanos;

    // "try": the workspace scope is never referenced, it only bounds where arrays are created outside workspaces
    @SuppressWarnings("try")
    LogitsCapture(String vertex, long[] shape) {
        this.vertex = vertex;
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.detached = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape, 'c');
        }
        this.logits = new float[(int) detached.length()];
    }

    /** Capture the next forward pass only: evaluation passes must not overwrite a training capture. */
    void arm() {
        armed = true;
        captured = false;
    }

    /** The logits of the last armed forward pass, NCHW; the array is reused by the next capture. */
    float[] logits() {
        if (!captured) {
            throw new IllegalStateException("no forward pass of '" + vertex + "' was captured");
        }
        return logits;
    }

    /** Time the last capture spent copying, inside {@code fit()}: part of the cost of monitoring. */
    long copyNanos() {
        return copyNanos;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (!armed) {
            return;
        }
        INDArray output = activations.get(vertex);
        if (output == null) {
            return;
        }
        long start = System.nanoTime();
        detached.assign(output);
        detached.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(logits);
        copyNanos = System.nanoTime() - start;
        armed = false;
        captured = true;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        // MultiLayerNetwork form; the U-Net is a ComputationGraph.
    }
}
