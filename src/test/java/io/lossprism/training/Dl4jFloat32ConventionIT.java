package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Convention;
import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The dl4j convention against DL4J's own loss functions in float32, the precision a network trains in,
 * with saturated outputs: a sigmoid of exactly 1.0 or 0.0, clipped to float32(1 - 1e-5) and
 * float32(1e-5), and logits near the float32 steps of the clip. ND4J's per-element float32 scores are
 * summed here in double, as the decomposition sums its own, and must agree to 1e-7 relative.
 */
class Dl4jFloat32ConventionIT {

    private static final int IMAGES = 4;
    private static final int POSITIONS = 64;
    private static final int CLASSES = 5;
    private static final BatchShape SHAPE = new BatchShape(IMAGES, CLASSES, POSITIONS);
    private static final double[] WEIGHTS = {1, 2.5, 0.5, 4, 1};

    @Test
    void binaryCrossEntropyOnSaturatedLogits() {
        float[] labels = binary(1);
        float[] logits = logits(2);
        compare(
                LossFunction.BCE,
                true,
                labels,
                logits,
                new LossBinaryXENT(Nd4j.create(WEIGHTS, 1, CLASSES)),
                new ActivationSigmoid());
    }

    @Test
    void binaryCrossEntropyOnSaturatedProbabilities() {
        float[] labels = binary(3);
        float[] logits = logits(4);
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = 1f / (1f + (float) Math.exp(-logits[i]));
        }
        probabilities[0] = 0;
        probabilities[1] = 1;
        compare(
                LossFunction.BCE,
                false,
                labels,
                probabilities,
                new LossBinaryXENT(Nd4j.create(WEIGHTS, 1, CLASSES)),
                new ActivationIdentity());
    }

    @Test
    void categoricalCrossEntropyOnSaturatedLogits() {
        float[] labels = oneHot(5);
        float[] logits = logits(6);
        compare(
                LossFunction.CCE,
                true,
                labels,
                logits,
                new LossMCXENT(Nd4j.create(WEIGHTS, 1, CLASSES)),
                new ActivationSoftmax());
    }

    private static void compare(
            LossFunction function,
            boolean fromLogits,
            float[] labels,
            float[] prediction,
            ILossFunction dl4jLoss,
            IActivation activation) {
        long[] shape = {IMAGES * POSITIONS, CLASSES};
        INDArray y = Nd4j.create(labels, shape, 'c');
        INDArray x = Nd4j.create(prediction, shape, 'c');
        assertThat(x.dataType()).isEqualTo(DataType.FLOAT);
        INDArray scores = dl4jLoss.computeScoreArray(y, x.dup(), activation, null);
        double expected = 0;
        for (double element : scores.castTo(DataType.DOUBLE).data().asDouble()) {
            expected += element;
        }
        expected /= IMAGES;

        LossSpec spec = LossSpec.of(function, Convention.DL4J, fromLogits, WEIGHTS);
        Decomposition d = new Decomposer(SHAPE, Layout.NHWC, spec).decompose(labels, prediction);

        assertThat(d.loss()).isCloseTo(expected, within(1e-7 * Math.abs(expected)));
    }

    private static float[] binary(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[SHAPE.elements()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        return a;
    }

    private static float[] oneHot(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[SHAPE.elements()];
        for (int row = 0; row < IMAGES * POSITIONS; row++) {
            a[row * CLASSES + random.nextInt(CLASSES)] = 1;
        }
        return a;
    }

    /** Logits of a confident network: |z| up to 40, several beyond the float32 saturation at 16.6. */
    private static float[] logits(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[SHAPE.elements()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-40, 40);
        }
        float[] edges = {11.5f, -11.5f, 11.52f, -11.52f, 16.6f, -16.6f, 17, -17, 100, -100};
        System.arraycopy(edges, 0, a, 2, edges.length);
        return a;
    }
}
