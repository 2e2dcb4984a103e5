package io.lossprism.training;

import io.lossprism.data.Dataset;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.probes.ClassOverlay;
import io.lossprism.probes.OverlayPainter;
import io.lossprism.probes.ProbePrediction;
import io.lossprism.probes.ProbeSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Predicts a few fixed probe images, the first of a split, and paints them for the dashboard. The
 * probes are loaded, copied to the native side and encoded as PNG once; each sample is one inference
 * pass over them.
 *
 * <p>Safe between training steps: {@code output()} runs in inference mode, changes no parameter or
 * updater state, and does not call the listeners' {@code onForwardPass} (in M2.1 only
 * {@code computeGradientAndScore()}, inside {@code fit()}, does), so {@link LogitsCapture} never sees
 * it. One thread at a time, like the trainer.
 */
public final class ProbeSampler {

    private final String runId;
    private final Split split;
    private final List<String> classNames;
    private final SegmentationBatch probes;
    private final INDArray features;
    private final long[] outputShape;
    private final OverlayPainter painter;
    private final List<byte[]> imagePngs;

    /**
     * @param runId      the run whose network is sampled; its probe sets name it
     * @param probes     how many images to sample; fewer when the split is smaller
     * @param classNames one name per class of the dataset, in class order
     * @param threshold  probability above which a pixel is predicted positive
     */
    // "try": the workspace scope is never referenced, it only bounds where arrays are created outside workspaces
    @SuppressWarnings("try")
    public ProbeSampler(
            String runId, Dataset data, Split split, int probes, List<String> classNames, double threshold) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, got " + probes);
        }
        if (data.size(split) < 1) {
            throw new IllegalArgumentException("the " + split.label() + " split has no images to probe");
        }
        if (classNames.size() != data.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + data.classes() + " classes");
        }
        this.runId = runId;
        this.split = split;
        this.classNames = List.copyOf(classNames);
        int count = Math.min(probes, data.size(split));
        int size = data.imageSize();
        this.probes = SegmentationBatch.allocate(count, size, data.classes());
        int[] indices = new int[count];
        Arrays.setAll(indices, i -> i);
        data.fill(split, indices, this.probes);
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.features = Nd4j.create(this.probes.images(), new long[] {count, UNet.INPUT_CHANNELS, size, size}, 'c');
        }
        this.outputShape = new long[] {count, data.classes(), size, size};
        this.painter = new OverlayPainter(size, threshold);
        List<byte[]> pngs = new ArrayList<>(count);
        for (int slot = 0; slot < count; slot++) {
            pngs.add(painter.image(this.probes.images(), slot * UNet.INPUT_CHANNELS * size * size));
        }
        this.imagePngs = List.copyOf(pngs);
    }

    /** The split to probe: validation when it has images, otherwise training. */
    public static Split splitOf(Dataset data) {
        return data.size(Split.VALIDATION) > 0 ? Split.VALIDATION : Split.TRAIN;
    }

    public Split split() {
        return split;
    }

    /** Images sampled per call. */
    public int probes() {
        return probes.size();
    }

    /** Predicts the probes with the network as it is now and paints every class of every probe. */
    public ProbeSet sample(ComputationGraph network, long iteration) {
        INDArray output = network.outputSingle(false, features);
        if (!Arrays.equals(output.shape(), outputShape)) {
            DetachedArrays.free(output);
            throw new IllegalStateException("expected an NCHW output of shape " + Arrays.toString(outputShape)
                    + ", got " + Arrays.toString(output.shape()));
        }
        // the loss layer's output can be a permuted view (NHWC in memory): dup('c') gives NCHW order
        float[] probabilities = DetachedArrays.valuesThenFree(output);
        int pixels = probes.imageSize() * probes.imageSize();
        int classes = probes.classes();
        List<ProbePrediction> images = new ArrayList<>(probes.size());
        for (int slot = 0; slot < probes.size(); slot++) {
            List<ClassOverlay> overlays = new ArrayList<>(classes);
            for (int c = 0; c < classes; c++) {
                int plane = (slot * classes + c) * pixels;
                overlays.add(painter.overlay(classNames.get(c), probes.masks(), plane, probabilities, plane));
            }
            // the probes are the split's first images: a slot is also the index within the split
            images.add(new ProbePrediction(slot, imagePngs.get(slot), overlays));
        }
        return new ProbeSet(runId, iteration, split.label(), painter.threshold(), images);
    }
}
