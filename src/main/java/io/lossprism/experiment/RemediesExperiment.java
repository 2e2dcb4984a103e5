package io.lossprism.experiment;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Dataset;
import io.lossprism.data.Datasets;
import io.lossprism.data.Split;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import io.lossprism.training.StepResult;
import io.lossprism.training.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What fixes the seed question's failure, measured: trains the configuration once per remedy (same
 * data, same initial weights, same number of iterations) and prints how each one treats the rare class.
 *
 * <pre>java -jar target/lossprism.jar experiment remedies [--iterations N] [--every K] [--config FILE] [--set k=v]</pre>
 *
 * The rare class is the one with the fewest positive training pixels. Its validation IoU is checked every
 * K iterations; the train IoU pools TP/FP/FN over the last epoch's batches (every training image once,
 * the network as it was while seeing them).
 */
public final class RemediesExperiment {

    private static final int DEFAULT_ITERATIONS = 300;
    private static final int DEFAULT_EVERY = 10;

    private RemediesExperiment() {}

    /** {@code experiment remedies [options]}: the only experiment so far. */
    public static void run(Path configFile, List<String> overrides, List<String> args, PrintStream out) {
        if (args.isEmpty() || !args.get(0).equals("remedies")) {
            throw new ConfigException(
                    "experiment: unknown experiment " + (args.isEmpty() ? "(none)" : "'" + args.get(0) + "'")
                            + "; experiments: remedies [--iterations N] [--every K]");
        }
        int iterations = DEFAULT_ITERATIONS;
        int every = DEFAULT_EVERY;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new ConfigException("experiment remedies: " + option + " needs a value");
            }
            switch (option) {
                case "--iterations" -> iterations = positive(option, args.get(++i));
                case "--every" -> every = positive(option, args.get(++i));
                default ->
                    throw new ConfigException(
                            "experiment remedies: unknown option " + option + "; options: --iterations N, --every K");
            }
        }
        AppConfig base = ConfigLoader.load(configFile, overrides);
        Dataset data = Datasets.open(base.data(), base.training());
        if (data.size(Split.VALIDATION) == 0) {
            throw new ConfigException("experiment remedies: needs validation images (data.validationImages or"
                    + " data.validationFraction > 0)");
        }
        ClassBalance balance = ClassBalance.of(data, base.training().batchSize());
        int rare = balance.rarest();
        List<String> classes = base.training().classes();
        int perEpoch = data.size(Split.TRAIN) / base.training().batchSize();
        out.printf(
                Locale.ROOT,
                "LossPrism remedies: %s, %d px, batch %d, %d iterations (%d per epoch), validation"
                        + " every %d; rare class %s (%.3f%% of pixels)%n",
                data.describe(),
                base.training().imageSize(),
                base.training().batchSize(),
                iterations,
                perEpoch,
                every,
                classes.get(rare),
                100 * balance.prevalence(rare));
        out.printf(Locale.ROOT, "positive pixels per class: %s%n", prevalences(balance, classes));

        List<RemedyResult> results = new ArrayList<>();
        for (Remedy remedy : Remedy.practitioners(balance)) {
            List<String> all = new ArrayList<>(overrides);
            all.addAll(remedy.overrides());
            all.add("training.epochs=" + Math.max(1, (iterations + perEpoch - 1) / perEpoch));
            RemedyResult result = train(remedy, ConfigLoader.load(configFile, all), data, iterations, every, rare);
            out.printf(
                    Locale.ROOT,
                    "  %-60s %s validation IoU %.3f, %.0f ms/step%n",
                    remedy.label(),
                    classes.get(rare),
                    result.validationIou()[rare],
                    result.millisPerStep());
            results.add(result);
        }
        out.println();
        out.print(RemediesTable.render(results, classes, rare, every));
    }

    static RemedyResult train(Remedy remedy, AppConfig config, Dataset data, int iterations, int every, int rare) {
        Trainer trainer = new Trainer(config, data, true);
        int classes = config.training().classCount();
        int window = Math.min(iterations, trainer.iterationsPerEpoch());
        long[] tp = new long[classes];
        long[] fp = new long[classes];
        long[] fn = new long[classes];
        long[] stepNanos = new long[iterations];
        double[] validation = new double[classes];
        Arrays.fill(validation, Double.NaN);
        long first = -1;
        int done = 0;
        boolean diverged = false;
        while (done < iterations) {
            StepResult step = trainer.step();
            stepNanos[done++] = step.fitNanos();
            if (!Double.isFinite(step.reportedLoss())) {
                diverged = true;
                break;
            }
            if (done > iterations - window) {
                for (ClassBreakdown c : step.decomposition().classes()) {
                    tp[c.index()] += c.counts().tp();
                    fp[c.index()] += c.counts().fp();
                    fn[c.index()] += c.counts().fn();
                }
            }
            if (done % every == 0 || done == iterations) {
                Decomposition v = trainer.validate().decomposition();
                for (ClassBreakdown c : v.classes()) {
                    validation[c.index()] = c.counts().iou();
                }
                if (first < 0 && validation[rare] > 0.5) {
                    first = done;
                }
            }
        }
        double[] train = new double[classes];
        for (int c = 0; c < classes; c++) {
            long union = tp[c] + fp[c] + fn[c];
            train[c] = union == 0 ? Double.NaN : (double) tp[c] / union;
        }
        long[] timed = Arrays.copyOf(stepNanos, done);
        Arrays.sort(timed);
        return new RemedyResult(remedy, done, train, validation, first, timed[done / 2] / 1e6, diverged);
    }

    private static String prevalences(ClassBalance balance, List<String> classes) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            parts.add(String.format(Locale.ROOT, "%s %.3f%%", classes.get(c), 100 * balance.prevalence(c)));
        }
        return String.join(", ", parts);
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("experiment remedies: " + option + " must be a positive integer, got '" + text + "'");
    }
}
