package io.lossprism.store;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One report that stands for several consecutive ones: their {@link JsonMean}, placed at the last
 * report's position, with how many it replaces and the range of the loss that the mean hides.
 */
final class ReportMerge {

    /** Where the report sits in training; a mean of these would point between reports. */
    private static final List<String> POSITION = List.of("iteration", "epoch", "timestamp");

    private ReportMerge() {}

    /**
     * The merged report of {@code jsons} (oldest first). Adds {@code merged} (the count),
     * {@code lossMin} and {@code lossMax} (of the defined top-level losses, {@code null} when none is) and
     * {@code lossUndefined} (how many had no loss: NaN or infinite, so a divergence stays visible).
     */
    static String merge(List<String> jsons) {
        List<JsonObject> reports = new ArrayList<>(jsons.size());
        for (String json : jsons) {
            reports.add(new JsonObject(json));
        }
        JsonObject last = reports.get(reports.size() - 1);
        JsonObject mean = JsonMean.of(reports);
        for (String key : POSITION) {
            if (last.containsKey(key)) {
                mean.put(key, last.getValue(key));
            }
        }
        Double min = null;
        Double max = null;
        int undefined = 0;
        for (JsonObject report : reports) {
            if (report.getValue("loss") instanceof Number n) {
                double loss = n.doubleValue();
                min = min == null ? loss : Math.min(min, loss);
                max = max == null ? loss : Math.max(max, loss);
            } else {
                undefined++;
            }
        }
        return mean.put("merged", reports.size())
                .put("lossMin", min)
                .put("lossMax", max)
                .put("lossUndefined", undefined)
                .encode();
    }
}
