package io.lossprism.training;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies the network's pre-sigmoid output out of the forward pass that {@code fit()} runs anyway,
 * so monitoring needs no second forward pass. The activations live in a workspace that is recycled
 * after the callback, hence the copy, into the detached array of the slot armed for this step.
 */
final class LogitsCapture extends BaseTrainingListener {

    private final String vertex;
    private FittedBatch target;

    LogitsCapture(String vertex) {
        this.vertex = vertex;
    }

    /** Capture the next forward pass only, into {@code slot}: evaluation passes must not overwrite it. */
    void armFor(FittedBatch slot) {
        slot.clear();
        target = slot;
    }

    /** After {@code fit()}: a pass that did not reach the output (a failure) must not leave a slot armed. */
    void disarm() {
        target = null;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (target == null) {
            return;
        }
        INDArray output = activations.get(vertex);
        if (output == null) {
            return;
        }
        target.capture(output);
        target = null;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        // MultiLayerNetwork form; the U-Net is a ComputationGraph.
    }
}
