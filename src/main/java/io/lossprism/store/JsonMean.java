package io.lossprism.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The field-by-field mean of JSON objects of the same shape, as retention stores for a bucket of reports.
 *
 * <p>Numbers are averaged over the objects that have them, objects are matched by key and arrays by index,
 * recursively. {@code null} and missing values are left out of a mean, so an undefined IoU in some batches
 * does not pull the mean toward 0; a position where every value is {@code null} stays {@code null}. Numbers
 * that are all equal keep their original value and type (a class {@code index} stays an integer). Anything
 * else (strings, booleans, values whose types differ) is taken from the last object that has a value there.
 */
public final class JsonMean {

    private JsonMean() {}

    /** The mean of {@code objects}, in order (the last one wins for non-numeric fields); at least one. */
    public static JsonObject of(List<JsonObject> objects) {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("no objects to average");
        }
        return objectMean(new ArrayList<>(objects));
    }

    private static Object mean(List<Object> values) {
        List<Object> present = new ArrayList<>();
        for (Object v : values) {
            if (v != null) {
                present.add(v);
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        if (all(present, Number.class)) {
            return numberMean(present);
        }
        if (all(present, JsonObject.class)) {
            return objectMean(present);
        }
        if (all(present, JsonArray.class)) {
            return arrayMean(present);
        }
        return present.get(present.size() - 1);
    }

    private static Object numberMean(List<Object> numbers) {
        Number last = (Number) numbers.get(numbers.size() - 1);
        boolean allEqual = true;
        double sum = 0;
        for (Object n : numbers) {
            double d = ((Number) n).doubleValue();
            allEqual &= d == last.doubleValue();
            sum += d;
        }
        return allEqual ? last : sum / numbers.size();
    }

    private static JsonObject objectMean(List<Object> objects) {
        // Keys in the order of the last object first: the merged report reads like the newest one.
        Set<String> keys = new LinkedHashSet<>(((JsonObject) objects.get(objects.size() - 1)).fieldNames());
        for (Object o : objects) {
            keys.addAll(((JsonObject) o).fieldNames());
        }
        JsonObject result = new JsonObject();
        for (String key : keys) {
            List<Object> column = new ArrayList<>(objects.size());
            for (Object o : objects) {
                column.add(((JsonObject) o).getValue(key));
            }
            result.put(key, mean(column));
        }
        return result;
    }

    private static JsonArray arrayMean(List<Object> arrays) {
        int length = 0;
        for (Object a : arrays) {
            length = Math.max(length, ((JsonArray) a).size());
        }
        JsonArray result = new JsonArray();
        for (int i = 0; i < length; i++) {
            List<Object> column = new ArrayList<>(arrays.size());
            for (Object a : arrays) {
                JsonArray array = (JsonArray) a;
                column.add(i < array.size() ? array.getValue(i) : null);
            }
            result.add(mean(column));
        }
        return result;
    }

    private static boolean all(List<Object> values, Class<?> type) {
        for (Object v : values) {
            if (!type.isInstance(v)) {
                return false;
            }
        }
        return true;
    }
}
