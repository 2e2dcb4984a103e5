package io.lossprism.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the tests of LossPrism's custom layers compare one to DL4J's own: one layer's forward and backward
 * pass, arrays equal within a share of their largest magnitude, and a save and restore.
 */
public final class LayerComparison {

    private LayerComparison() {}

    /**
     * Output, gradient of the input, of the weights and of the bias (null without) of one layer; the
     * convolution family's parameter keys.
     */
    public record Pass(INDArray output, INDArray inputGradient, INDArray weightGradient, INDArray biasGradient) {

        /** The named layer of {@code graph}, forward in training mode then backward, without workspaces. */
        public static Pass of(ComputationGraph graph, String layerName, INDArray input, INDArray outputGradient) {
            Layer layer = graph.getLayer(layerName);
            INDArray output = layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces())
                    .dup();
            Pair<Gradient, INDArray> backward =
                    layer.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces());
            Gradient gradient = backward.getFirst();
            INDArray bias = gradient.getGradientFor(ConvolutionParamInitializer.BIAS_KEY);
            return new Pass(
                    output,
                    backward.getSecond().dup(),
                    gradient.getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY)
                            .dup(),
                    bias == null ? null : bias.dup());
        }
    }

    /**
     * Same shape, not all zero, and no element further from {@code expected} than {@code relativeTolerance}
     * times its largest magnitude.
     */
    public static void assertClose(String what, INDArray actual, INDArray expected, double relativeTolerance) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        double difference = actual.castTo(DataType.DOUBLE)
                .sub(expected.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        assertThat(scale).as(what + " is not all zero").isGreaterThan(0);
        assertThat(difference)
                .as(what + ": largest difference, largest magnitude " + scale)
                .isLessThanOrEqualTo(relativeTolerance * scale);
    }

    /** {@code graph} saved with its updater and restored, in memory. */
    public static ComputationGraph roundTrip(ComputationGraph graph) throws IOException {
        var bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    }
}
