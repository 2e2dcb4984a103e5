package io.lossprism.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Doubles height and width of NCHW activations by bilinear interpolation with half-pixel centres and
 * clamped edges: what Keras's {@code UpSampling2D(interpolation="bilinear")}, TensorFlow's
 * {@code resize(method="bilinear")} and PyTorch's {@code align_corners=False} compute. DL4J 1.0.0-M2.1
 * upsamples by repeating pixels only; this configuration reuses its {@link Upsampling2D} (size 2) for
 * shapes and serialisation and computes forward and backward in {@link BilinearUpsampling2DLayer}.
 *
 * <p>Not a SameDiff layer: in M2.1 those pass twice the gradient back to the layers before them
 * (DL4J's gradient check: analytic = 2 x numerical, even for an identity SameDiff layer).
 */
public class BilinearUpsampling2D extends Upsampling2D {

    private static final long serialVersionUID = 1L;

    public BilinearUpsampling2D() {
        setSize(new int[] {2, 2});
        setFormat(CNN2DFormat.NCHW);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new BilinearUpsampling2DLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public BilinearUpsampling2D clone() {
        return (BilinearUpsampling2D) super.clone();
    }
}
