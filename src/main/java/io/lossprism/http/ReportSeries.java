package io.lossprism.http;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The numbers of a report that downsampling must not lose: the loss, then per class its term, the
 * positive and negative parts, IoU and Dice. Undefined values are NaN, as they are null in JSON.
 */
final class ReportSeries {

    /** Class fields kept per class, in this order after the aggregate loss. */
    private static final String[] CLASS_FIELDS = {"loss", "positiveLoss", "negativeLoss", "iou", "dice"};

    private ReportSeries() {}

    static double[] of(BatchReport report) {
        double[] values = new double[1 + CLASS_FIELDS.length * report.classes().size()];
        values[0] = defined(report.loss());
        int i = 1;
        for (ClassReport c : report.classes()) {
            values[i++] = defined(c.loss());
            values[i++] = defined(c.positiveLoss());
            values[i++] = defined(c.negativeLoss());
            values[i++] = defined(c.iou());
            values[i++] = defined(c.dice());
        }
        return values;
    }

    /** The same numbers from a batch's JSON; a missing or non-numeric field is undefined. */
    static double[] of(JsonObject batch) {
        JsonArray classes = batch.getJsonArray("classes", new JsonArray());
        double[] values = new double[1 + CLASS_FIELDS.length * classes.size()];
        values[0] = number(batch, "loss");
        int i = 1;
        for (Object c : classes) {
            JsonObject json = c instanceof JsonObject o ? o : new JsonObject();
            for (String field : CLASS_FIELDS) {
                values[i++] = number(json, field);
            }
        }
        return values;
    }

    private static double number(JsonObject json, String field) {
        return json.getValue(field) instanceof Number n ? defined(n.doubleValue()) : Double.NaN;
    }

    /** Infinite values are shown as null like NaN, so they count as undefined here too. */
    private static double defined(double value) {
        return Double.isFinite(value) ? value : Double.NaN;
    }
}
