package io.lossprism.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Deconvolution2D} (same parameters, layout and initialisation; on CPU computed by oneDNN
 * called directly) whose backward pass
 * does not compute the forward pass a second time when the activation is the identity: DL4J's layer
 * recomputes the pre-activation only to hand it to the activation's derivative, which for the identity
 * ignores it. See {@link TransposedConvolution2DLayer}.
 */
public class TransposedConvolution2D extends Deconvolution2D {

    private static final long serialVersionUID = 1L;

    /** For deserialisation. */
    public TransposedConvolution2D() {}

    /** The layer {@code builder} describes, computed by {@link TransposedConvolution2DLayer}. */
    public TransposedConvolution2D(Deconvolution2D.Builder builder) {
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
        LayerValidation.assertNInNOutSet("TransposedConvolution2D", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(
                new TransposedConvolution2DLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public TransposedConvolution2D clone() {
        return (TransposedConvolution2D) super.clone();
    }
}
