package io.lossprism.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The experiment's answer as a Markdown table: the rare class first in every IoU column. */
final class RemediesTable {

    private RemediesTable() {}

    static String render(List<RemedyResult> results, List<String> classes, int rare, int every) {
        List<Integer> order = new ArrayList<>();
        order.add(rare);
        for (int c = 0; c < classes.size(); c++) {
            if (c != rare) {
                order.add(c);
            }
        }
        String names = String.join(" / ", order.stream().map(classes::get).toList());
        StringBuilder out = new StringBuilder();
        out.append("| loss configuration | train IoU (")
                .append(names)
                .append(") | validation IoU (")
                .append(names)
                .append(") | ")
                .append(classes.get(rare))
                .append(" validation IoU > 0.5 at (checked every ")
                .append(every)
                .append(") | ms/step |\n");
        out.append("|---|---|---|---|---|\n");
        for (RemedyResult r : results) {
            out.append("| ")
                    .append(r.remedy().label())
                    .append(r.diverged() ? " (diverged at " + r.iterations() + ")" : "")
                    .append(" | ")
                    .append(ious(r.trainIou(), order))
                    .append(" | ")
                    .append(ious(r.validationIou(), order))
                    .append(" | ")
                    .append(r.firstRareAbove() < 0 ? "never" : "iteration " + r.firstRareAbove())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", r.millisPerStep()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String ious(double[] values, List<Integer> order) {
        List<String> parts = new ArrayList<>();
        for (int c : order) {
            parts.add(Double.isNaN(values[c]) ? "-" : String.format(Locale.ROOT, "%.2f", values[c]));
        }
        return String.join(" / ", parts);
    }
}
