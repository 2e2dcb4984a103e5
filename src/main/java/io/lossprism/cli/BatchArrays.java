package io.lossprism.cli;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Layout;
import io.lossprism.loss.Precision;
import io.lossprism.loss.Values;
import io.lossprism.npy.NpyArray;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks a pair of arrays as a user saved them and turns them into the engine's input: one batch
 * shape, targets in [0, 1] (class indices expanded to one-hot) and predictions. Every problem is
 * reported with the file it is in.
 *
 * @param saved the precision the predictions were saved in (float32 for a float32 file, else float64)
 */
record BatchArrays(BatchShape shape, double[] truth, double[] prediction, boolean indexLabels, Precision saved) {

    /** The targets as the framework holds them: converted to the precision it computes in, as Keras does. */
    Values truthIn(Precision precision) {
        return in(truth, precision);
    }

    /** The predictions converted to the precision the framework computes in. */
    Values predictionIn(Precision precision) {
        return in(prediction, precision);
    }

    private static Values in(double[] values, Precision precision) {
        if (precision == Precision.FLOAT64) {
            return Values.of(values);
        }
        float[] single = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            single[i] = (float) values[i];
        }
        return Values.of(single);
    }

    static BatchArrays of(
            NpyArray truth,
            String truthName,
            NpyArray prediction,
            String predictionName,
            Layout layout,
            boolean probabilities,
            boolean allowIndexLabels) {
        if (prediction.rank() < 2) {
            throw new UsageException(predictionName + ": need at least 2 axes (items and classes), got shape "
                    + shape(prediction.shape()));
        }
        BatchShape shape = batchShape(prediction.shape(), layout, predictionName);
        Precision saved = prediction.dtype().equals("float32") ? Precision.FLOAT32 : Precision.FLOAT64;
        requireFinite(prediction.values(), predictionName);
        requireFinite(truth.values(), truthName);
        if (probabilities) {
            // categorical probabilities may be unnormalised (Keras renormalises them); sigmoid ones may not
            double max = allowIndexLabels ? Double.MAX_VALUE : 1;
            requireRange(prediction.values(), predictionName, max, "; pass --from-logits if these are logits");
        }
        if (allowIndexLabels
                && truth.rank() == prediction.rank() - 1
                && Arrays.equals(truth.shape(), withoutClassAxis(prediction.shape(), layout))) {
            return new BatchArrays(
                    shape, oneHot(truth.values(), shape, layout, truthName), prediction.values(), true, saved);
        }
        if (!Arrays.equals(truth.shape(), prediction.shape())) {
            throw new UsageException("shapes differ: " + truthName + " " + shape(truth.shape()) + " vs "
                    + predictionName + " " + shape(prediction.shape())
                    + (allowIndexLabels ? " (class-index labels need the class axis left out)" : ""));
        }
        requireRange(truth.values(), truthName, 1, "");
        return new BatchArrays(shape, truth.values(), prediction.values(), false, saved);
    }

    private static BatchShape batchShape(long[] dims, Layout layout, String name) {
        int classAxis = layout == Layout.NHWC ? dims.length - 1 : 1;
        long positions = 1;
        for (int axis = 1; axis < dims.length; axis++) {
            if (axis != classAxis) {
                positions *= dims[axis];
            }
        }
        if (dims[0] == 0 || dims[classAxis] == 0 || positions == 0) {
            throw new UsageException(name + ": empty array, shape " + shape(dims));
        }
        return new BatchShape(Math.toIntExact(dims[0]), Math.toIntExact(dims[classAxis]), Math.toIntExact(positions));
    }

    private static long[] withoutClassAxis(long[] dims, Layout layout) {
        int classAxis = layout == Layout.NHWC ? dims.length - 1 : 1;
        long[] out = new long[dims.length - 1];
        for (int axis = 0, j = 0; axis < dims.length; axis++) {
            if (axis != classAxis) {
                out[j++] = dims[axis];
            }
        }
        return out;
    }

    /** Class indices [N, positions] to one-hot in the prediction's layout. */
    private static double[] oneHot(double[] labels, BatchShape shape, Layout layout, String name) {
        double[] out = new double[shape.elements()];
        int classes = shape.classes();
        for (int i = 0; i < labels.length; i++) {
            double label = labels[i];
            if (label != Math.rint(label) || label < 0 || label >= classes) {
                throw new UsageException(name + ": class index " + label + " at position " + i
                        + " is not an integer from 0 to " + (classes - 1));
            }
            int n = i / shape.pixels();
            int p = i % shape.pixels();
            int c = (int) label;
            out[layout == Layout.NCHW ? (n * classes + c) * shape.pixels() + p : i * classes + c] = 1;
        }
        return out;
    }

    private static void requireFinite(double[] values, String name) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new UsageException(name + ": " + bad + " NaN or infinite value" + (bad > 1 ? "s" : "")
                    + " (first at flat index " + first + ")");
        }
    }

    private static void requireRange(double[] values, String name, double upper, String hint) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < 0 || max > upper) {
            String range = upper == 1 ? "[0, 1]" : ">= 0";
            throw new UsageException(name + ": values outside " + range + " (min " + min + ", max " + max + ")" + hint);
        }
    }

    static String shape(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
