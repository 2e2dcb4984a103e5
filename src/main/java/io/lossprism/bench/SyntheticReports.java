package io.lossprism.bench;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Batch reports shaped like the built-in training's (64 px, batch 16): losses that fall with noise,
 * confusion counts that add up to the pixels, and a rare last class. For load on the feed, not for
 * checking numbers.
 */
final class SyntheticReports {

    /** The run the synthetic reports belong to; feed clients follow it with {@code /ws?run=benchmark}. */
    static final String RUN_ID = "benchmark";

    /** The default 512 training images in batches of 16. */
    static final int ITERATIONS_PER_EPOCH = 32;

    private static final int IMAGES = 16;
    private static final long PIXELS = IMAGES * 64L * 64L;
    private static final double[] PREVALENCE = {0.08, 0.05, 0.06, 0.04, 0.001};

    private final List<String> classes;
    private final Random random = new Random(7);

    SyntheticReports(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    BatchReport train(long iteration) {
        double progress = Math.exp(-iteration / 500.0);
        List<ClassReport> reports = new ArrayList<>();
        double loss = 0;
        for (int c = 0; c < classes.size(); c++) {
            boolean rare = c == classes.size() - 1;
            double prevalence = PREVALENCE[c % PREVALENCE.length];
            long positives = Math.max(1, Math.round(PIXELS * prevalence * (0.8 + 0.4 * random.nextDouble())));
            double recall = rare ? 0.2 + 0.1 * random.nextDouble() : 0.95 - 0.5 * progress * random.nextDouble();
            long tp = Math.round(positives * recall);
            long fn = positives - tp;
            long fp = Math.round(tp * 0.1 * random.nextDouble());
            long tn = PIXELS - tp - fn - fp;
            double perPositive = (rare ? 2.5 : 0.3 + progress) * (0.9 + 0.2 * random.nextDouble());
            double positiveLoss = positives * perPositive / IMAGES;
            double negativeLoss = (PIXELS - positives) * (0.002 + 0.05 * progress) / IMAGES;
            double term = positiveLoss + negativeLoss;
            loss += term;
            double iou = (double) tp / (tp + fp + fn);
            reports.add(new ClassReport(
                    c,
                    classes.get(c),
                    term,
                    positiveLoss,
                    negativeLoss,
                    positiveLoss * IMAGES / positives,
                    negativeLoss * IMAGES / (PIXELS - positives),
                    (double) positives / PIXELS,
                    tp,
                    fp,
                    fn,
                    tn,
                    iou,
                    2 * iou / (1 + iou),
                    (double) tp / (tp + fp),
                    recall));
        }
        double meanElementLoss = loss * IMAGES / (PIXELS * classes.size());
        return new BatchReport(
                RUN_ID,
                BatchReport.VERSION,
                "train",
                (int) ((iteration - 1) / ITERATIONS_PER_EPOCH),
                iteration,
                System.currentTimeMillis(),
                IMAGES,
                "dl4j",
                loss,
                loss * (1 + 1e-7),
                meanElementLoss,
                60,
                reports);
    }
}
