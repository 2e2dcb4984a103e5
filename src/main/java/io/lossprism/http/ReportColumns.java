package io.lossprism.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The numbers of a batch report that the dashboard's charts draw, read once when the report arrives so
 * that a columnar {@code history} message is written without parsing reports again: {@link #SCALARS},
 * then the {@link #AVERAGES} of IoU and of Dice, then per class (by index) its {@link #CLASS_FIELDS}.
 * Undefined or missing values are NaN.
 */
final class ReportColumns {

    static final String[] SCALARS = {"epoch", "loss", "meanElementLoss", "imagesPerSecond"};
    static final String[] AVERAGED = {"iou", "dice"};
    static final String[] AVERAGES = {"micro", "macro", "frequencyWeighted"};
    static final String[] CLASS_FIELDS = {"loss", "positiveLoss", "negativeLoss", "iou", "dice"};
    /** Values before the first class's. */
    static final int CLASS_OFFSET = SCALARS.length + AVERAGED.length * AVERAGES.length;

    /**
     * @param values  the numbers, in the order above
     * @param classes the class names, by index ("class i" where one has none)
     */
    record Row(double[] values, List<String> classes) {

        double classValue(int classIndex, int field) {
            int at = CLASS_OFFSET + classIndex * CLASS_FIELDS.length + field;
            return at < values.length ? values[at] : Double.NaN;
        }
    }

    private ReportColumns() {}

    /** @param previous the names of the report before, shared when they are the same */
    static Row of(JsonObject batch, List<String> previous) {
        List<JsonObject> classes = new ArrayList<>();
        JsonArray array = batch.getValue("classes") instanceof JsonArray a ? a : new JsonArray();
        for (Object c : array) {
            classes.add(c instanceof JsonObject o ? o : new JsonObject());
        }
        classes.sort(Comparator.comparingLong(c -> c.getValue("index") instanceof Number n ? n.longValue() : 0));
        double[] values = new double[CLASS_OFFSET + CLASS_FIELDS.length * classes.size()];
        int i = 0;
        for (String field : SCALARS) {
            values[i++] = number(batch, field);
        }
        for (String metric : AVERAGED) {
            JsonObject averages = batch.getValue(metric) instanceof JsonObject o ? o : new JsonObject();
            for (String average : AVERAGES) {
                values[i++] = number(averages, average);
            }
        }
        List<String> names = new ArrayList<>(classes.size());
        for (JsonObject c : classes) {
            for (String field : CLASS_FIELDS) {
                values[i++] = number(c, field);
            }
            Object name = c.getValue("name");
            names.add(name == null ? "class " + names.size() : String.valueOf(name));
        }
        return new Row(values, names.equals(previous) ? previous : List.copyOf(names));
    }

    private static double number(JsonObject json, String field) {
        return json.getValue(field) instanceof Number n && Double.isFinite(n.doubleValue())
                ? n.doubleValue()
                : Double.NaN;
    }
}
