package io.lossprism.cli;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.ClassState;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.Precision;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The human-readable answer, at most 79 columns: each class's term and its share of the loss beside
 * its share of the errors, so a class hidden by the averaging stands out, and the worst class marked.
 */
final class DecompositionTable {

    private static final String ROW = "%-10s %9s %7s %7s %9s %9s %7s %7s %6s%n";
    private static final String RULE = "-".repeat(79);

    private DecompositionTable() {}

    static String render(Decomposition d, LossSpec spec, Precision precision, List<String> names, BatchShape shape) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%s loss, %s convention, %s %s;%nbatch %d x %d positions x %d classes%n",
                spec.function().label(),
                spec.convention().label(),
                precision.label(),
                spec.fromLogits() ? "logits" : "probabilities",
                shape.batch(),
                shape.pixels(),
                shape.classes()));
        out.append(String.format(Locale.ROOT, "Loss %s = the sum of the class terms below.%n%n", number(d.loss())));
        out.append(String.format(
                Locale.ROOT, ROW, "class", "term", "share", "errors", "positive", "negative", "prev", "mean+", "IoU"));
        long allErrors = d.classes().stream()
                .mapToLong(c -> c.counts().fp() + c.counts().fn())
                .sum();
        Optional<ClassBreakdown> worst = worst(d);
        for (ClassBreakdown c : d.classes()) {
            String name = names.get(c.index());
            String label = (worst.isPresent() && worst.get() == c ? "*" : "") + name;
            long errors = c.counts().fp() + c.counts().fn();
            out.append(String.format(
                    Locale.ROOT,
                    ROW,
                    clip(label, 10),
                    number(c.loss()),
                    percent(c.loss() / d.loss()),
                    percent(allErrors == 0 ? Double.NaN : (double) errors / allErrors),
                    number(c.positiveLoss()),
                    number(c.negativeLoss()),
                    percent(c.prevalence()),
                    fixed(c.meanPositiveLoss()),
                    iou(c)));
        }
        out.append(RULE).append(System.lineSeparator());
        out.append(String.format(
                                Locale.ROOT,
                                ROW,
                                "total",
                                number(d.loss()),
                                "100%",
                                allErrors == 0 ? "" : "100%",
                                "",
                                "",
                                "",
                                "",
                                "")
                        .stripTrailing())
                .append(System.lineSeparator());
        out.append(String.format(
                Locale.ROOT,
                "%nIoU micro %s, macro %s, frequency-weighted %s; hidden-class gap %s.%n",
                fixed(d.iou().micro()),
                fixed(d.iou().macro()),
                fixed(d.iou().frequencyWeighted()),
                fixed(d.iou().hiddenClassGap())));
        worst.ifPresent(c -> out.append(String.format(
                Locale.ROOT,
                "* worst class: %s, IoU %s on %s of the pixels;%n  %s of the loss, %s of the errors.%n",
                names.get(c.index()),
                fixed(c.counts().iou()),
                percent(c.prevalence()),
                percent(c.loss() / d.loss()),
                percent(
                        allErrors == 0
                                ? Double.NaN
                                : (double) (c.counts().fp() + c.counts().fn()) / allErrors))));
        out.append(String.format(
                Locale.ROOT,
                "term = positive + negative part; prev = share of positive pixels;%n"
                        + "mean+ = mean cross-entropy per positive pixel; '-' = undefined.%n"));
        return out.toString();
    }

    private static Optional<ClassBreakdown> worst(Decomposition d) {
        return d.classes().stream()
                .filter(c -> c.state() != ClassState.ABSENT_CORRECT)
                .min(Comparator.comparingDouble(c -> c.counts().iou()));
    }

    private static String iou(ClassBreakdown c) {
        return c.state() == ClassState.ABSENT_CORRECT ? "-" : fixed(c.counts().iou());
    }

    private static String number(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4g", x) : "-";
    }

    private static String fixed(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : "-";
    }

    private static String percent(double x) {
        if (!Double.isFinite(x)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(x) < 0.001 && x != 0 ? "%.2f%%" : "%.1f%%", 100 * x);
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
