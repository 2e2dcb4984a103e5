package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.ClassBreakdown;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The dl4j convention against DL4J's own loss functions, in double precision: the golden values here
 * are produced live by ND4J. Rows are positions and columns classes, as CnnLossLayer reshapes its
 * input; its score is the sum over rows divided by the number of images.
 */
class Dl4jConventionIT {

    private static final int IMAGES = 3;
    private static final int POSITIONS = 7;
    private static final int CLASSES = 4;
    private static final BatchShape SHAPE = new BatchShape(IMAGES, CLASSES, POSITIONS);
    private static final double[] WEIGHTS = {1, 2.5, 0.5, 4};

    @Test
    void binaryCrossEntropyOnLogits() {
        double[] labels = binary(1);
        double[] logits = gaussian(2, 6);
        compare(
                LossFunction.BCE,
                true,
                labels,
                logits,
                new LossBinaryXENT(Nd4j.create(WEIGHTS, 1, CLASSES)),
                new ActivationSigmoid());
    }

    @Test
    void binaryCrossEntropyOnProbabilitiesIsClipped() {
        double[] labels = binary(3);
        double[] probabilities = uniform(4);
        probabilities[0] = 0; // clipped to 1e-5 by DL4J
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
    void categoricalCrossEntropyOnLogits() {
        double[] labels = oneHot(5);
        double[] logits = gaussian(6, 30); // extreme logits reach DL4J's softmax clip at 1e-10
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
            double[] labels,
            double[] prediction,
            ILossFunction dl4jLoss,
            IActivation activation) {
        INDArray y = Nd4j.create(labels, new long[] {IMAGES * POSITIONS, CLASSES}, 'c');
        INDArray x = Nd4j.create(prediction, new long[] {IMAGES * POSITIONS, CLASSES}, 'c');
        double expected = dl4jLoss.computeScoreArray(y, x.dup(), activation, null)
                        .sumNumber()
                        .doubleValue()
                / IMAGES;

        LossSpec spec = LossSpec.of(function, Convention.DL4J, fromLogits, WEIGHTS);
        Decomposition d = new Decomposer(SHAPE, Layout.NHWC, spec).decompose(labels, prediction);

        assertThat(d.loss()).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
        assertThat(d.classes().stream().mapToDouble(ClassBreakdown::loss).sum())
                .isCloseTo(expected, within(1e-9 * Math.abs(expected)));
    }

    private static double[] binary(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[SHAPE.elements()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        return a;
    }

    private static double[] oneHot(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[SHAPE.elements()];
        for (int row = 0; row < IMAGES * POSITIONS; row++) {
            a[row * CLASSES + random.nextInt(CLASSES)] = 1;
        }
        return a;
    }

    private static double[] gaussian(long seed, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[SHAPE.elements()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble(-scale, scale);
        }
        return a;
    }

    private static double[] uniform(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[SHAPE.elements()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
        }
        return a;
    }
}
