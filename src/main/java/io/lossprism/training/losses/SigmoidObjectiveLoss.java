package io.lossprism.training.losses;

import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveFunction;
import io.lossprism.objective.ObjectiveLoss;
import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A DL4J loss function computed by {@link ObjectiveFunction}, in double precision on the logits (the
 * layer's pre-activation input, sigmoid its activation), with the exact analytic gradient.
 *
 * <p>DL4J's CnnLossLayer hands the loss [N*H*W, C] rows, divides the returned (non-averaged) score by N
 * and the updater divides the gradient by N too. So the score returned here is N times the objective's
 * loss L and the gradient N dL/dz: what DL4J then reports and descends is exactly L. Cross-entropy
 * losses are sums over rows and need no N; a Dice part does, so those losses know the positions per image.
 * Subclasses hold their parameters as JSON properties: a network configuration with them is saved and
 * restored by DL4J's ModelSerializer (checkpoints).
 */
abstract class SigmoidObjectiveLoss implements ILossFunction, ObjectiveLoss {

    private static final long serialVersionUID = 1L;

    private transient ObjectiveFunction function;

    @Override
    public abstract Objective objective(int classes);

    /** Images in a batch of {@code rows} rows: 1 for losses that are sums over rows (the layer divides by N). */
    int items(long rows) {
        return 1;
    }

    @Override
    public double computeScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        double sum = b.items * function(b.classes).evaluate(b.labels, b.logits, b.mask, b.items, null, null);
        return average ? sum / b.rows : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        double[] rows = new double[b.rows];
        function(b.classes).evaluate(b.labels, b.logits, b.mask, b.items, null, rows);
        for (int r = 0; r < rows.length; r++) {
            rows[r] *= b.items;
        }
        return Nd4j.create(rows, new long[] {b.rows, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return computeGradientAndScore(labels, preOutput, activationFn, mask, false)
                .getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        double[] gradient = new double[b.logits.length];
        double sum = b.items * function(b.classes).evaluate(b.labels, b.logits, b.mask, b.items, gradient, null);
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= b.items;
        }
        INDArray result = Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
        return new Pair<>(average ? sum / b.rows : sum, result);
    }

    @Override
    public String name() {
        return toString();
    }

    private ObjectiveFunction function(int classes) {
        ObjectiveFunction f = function;
        if (f == null || f.objective().classes() != classes) {
            f = new ObjectiveFunction(objective(classes));
            function = f;
        }
        return f;
    }

    private Batch batch(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationSigmoid)) {
            throw new IllegalStateException(name() + " works on logits: the output layer's activation must be sigmoid,"
                    + " got " + activationFn);
        }
        if (preOutput.rank() != 2 || !labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException(
                    name() + ": expected labels and outputs of one shape [rows, classes], got "
                            + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
        }
        int rows = (int) preOutput.size(0);
        int classes = (int) preOutput.size(1);
        double[] maskValues = null;
        if (mask != null) {
            if (mask.length() != rows && mask.length() != (long) rows * classes) {
                throw new IllegalArgumentException(
                        name() + ": a mask is [rows, 1] or [rows, classes], got " + Arrays.toString(mask.shape()));
            }
            maskValues = values(mask);
        }
        return new Batch(values(labels), values(preOutput), maskValues, rows, classes, items(rows));
    }

    /** The array's values in row-major order, as doubles. */
    private static double[] values(INDArray a) {
        return Nd4j.toFlattened('c', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private record Batch(double[] labels, double[] logits, double[] mask, int rows, int classes, int items) {}
}
