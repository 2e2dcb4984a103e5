package io.lossprism.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D {@link ConvolutionLayer} (same parameters, layout and initialisation; on CPU computed by oneDNN
 * called directly) whose backward pass
 * does not compute the forward pass a second time for the identity and ReLU activations: DL4J's layer
 * recomputes the pre-activation only to hand it to the activation's derivative, which for the identity
 * ignores it and for ReLU needs only where it is positive, which the forward pass's output already says.
 * See {@link Convolution2DLayer}.
 *
 * <p>With ReLU the layer reads its own output again in the backward pass, so whatever changes that output in
 * place before then must keep its sign wherever it passes a gradient back. DL4J 1.0.0-M2.1 changes a layer's
 * input in place only for dropout, when the dropping layer is the input's last consumer; its plain
 * (inverted) {@code Dropout} qualifies: a dropped element becomes 0 and gets no gradient, a kept one is
 * scaled by 1/p. Gaussian dropout, Gaussian noise and alpha dropout do not: keep DL4J's ConvolutionLayer
 * before those.
 */
public class Convolution2D extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    /** For deserialisation. */
    public Convolution2D() {}

    /** The layer {@code builder} describes, computed by {@link Convolution2DLayer}. */
    public Convolution2D(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Convolution2D", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(
                new Convolution2DLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public Convolution2D clone() {
        return (Convolution2D) super.clone();
    }
}
