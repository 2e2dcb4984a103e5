package io.lossprism.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every layer configuration's {@code instantiate} must do with its computation in DL4J 1.0.0-M2.1,
 * written once for LossPrism's custom layers: listeners, index, the parameters' view and table (initialised
 * by the configuration's own initializer), and the configuration.
 */
final class LayerWiring {

    private LayerWiring() {}

    /** {@code layer}, wired to {@code config} as DL4J's own layers are; returns it. */
    static <L extends Layer> L wire(
            L layer,
            org.deeplearning4j.nn.conf.layers.Layer config,
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(config.initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
