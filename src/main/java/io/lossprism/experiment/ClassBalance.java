package io.lossprism.experiment;

import io.lossprism.data.Dataset;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import java.util.Arrays;

/**
 * How many pixels of each class are positive in a dataset's training split: what a practitioner
 * measures before choosing class weights or pos_weight.
 *
 * @param positives positive pixels per class
 * @param pixels    pixels per class (images x pixels per image)
 */
public record ClassBalance(long[] positives, long pixels) {

    public ClassBalance {
        positives = positives.clone();
    }

    /** Counts every training image's masks, a batch at a time. */
    public static ClassBalance of(Dataset data, int batchSize) {
        int classes = data.classes();
        int pixelsPerImage = data.imageSize() * data.imageSize();
        int images = data.size(Split.TRAIN);
        long[] positives = new long[classes];
        SegmentationBatch batch = SegmentationBatch.allocate(batchSize, data.imageSize(), classes);
        for (int start = 0; start < images; start += batchSize) {
            int n = Math.min(batchSize, images - start);
            int[] indices = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                indices[i] = start + Math.min(i, n - 1); // a short last batch repeats its last image, not counted
            }
            data.fill(Split.TRAIN, indices, batch);
            float[] masks = batch.masks();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < classes; c++) {
                    int from = (i * classes + c) * pixelsPerImage;
                    for (int p = from; p < from + pixelsPerImage; p++) {
                        if (masks[p] >= 0.5f) {
                            positives[c]++;
                        }
                    }
                }
            }
        }
        return new ClassBalance(positives, (long) images * pixelsPerImage);
    }

    public int classes() {
        return positives.length;
    }

    /** Share of the class's pixels that are positive. */
    public double prevalence(int c) {
        return (double) positives[c] / pixels;
    }

    /** The class with the fewest positive pixels. */
    public int rarest() {
        int rarest = 0;
        for (int c = 1; c < positives.length; c++) {
            if (positives[c] < positives[rarest]) {
                rarest = c;
            }
        }
        return rarest;
    }

    /** PyTorch's recipe for pos_weight: negative pixels over positive pixels, per class (1 for an empty class). */
    public double[] negativeToPositive() {
        double[] ratios = new double[positives.length];
        for (int c = 0; c < ratios.length; c++) {
            ratios[c] = positives[c] == 0 ? 1 : (double) (pixels - positives[c]) / positives[c];
        }
        return ratios;
    }

    /**
     * Median frequency balancing (Eigen and Fergus, 2015): w_c = median prevalence / prevalence of c, so
     * a typical class keeps weight 1 and a class 100 times rarer gets 100 (1 for an empty class).
     */
    public double[] medianFrequencyWeights() {
        double[] prevalence = new double[positives.length];
        for (int c = 0; c < prevalence.length; c++) {
            prevalence[c] = prevalence(c);
        }
        double[] sorted = prevalence.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double[] weights = new double[n];
        for (int c = 0; c < n; c++) {
            weights[c] = prevalence[c] == 0 ? 1 : median / prevalence[c];
        }
        return weights;
    }
}
