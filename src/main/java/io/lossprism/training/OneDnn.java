package io.lossprism.training;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;

/**
 * Turns DL4J's oneDNN layer helpers on. Three things are needed on 1.0.0-M2.1: an {@code -onednn}
 * native build on the class path (the pom), the shim {@link org.nd4j.nativeblas.Nd4jCpu}, and this
 * system property, which DL4J reads when each layer is created.
 */
public final class OneDnn {

    static final String HELPERS_DISABLED_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {}

    /** Call before the first network is built. A value set on the command line wins. */
    public static void enableHelpers() {
        if (System.getProperty(HELPERS_DISABLED_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLED_PROPERTY, "false");
        }
    }

    /** The helper serving the graph's first convolution after a forward pass, or "none" (also without one). */
    public static String helperOfFirstConvolution(ComputationGraph graph) {
        return Arrays.stream(graph.getLayers())
                .filter(layer -> layer.conf().getLayer() instanceof ConvolutionLayer)
                .findFirst()
                .map(layer -> helperOf(graph, layer.conf().getLayer().getLayerName()))
                .orElse("none");
    }

    /** The helper class name serving a layer after its first forward pass, or "none". */
    public static String helperOf(ComputationGraph graph, String layerName) {
        LayerHelper helper = graph.getLayer(layerName).getHelper();
        return helper == null ? "none" : helper.getClass().getSimpleName();
    }
}
