package io.lossprism.ingest;

import io.lossprism.loss.Convention;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code POST /api/ingest/runs} declares about an external run: its name, classes, framework and
 * the loss with the parameters the reports need. {@link #meta()} is the stored form, every default
 * filled in.
 */
record ExternalRunSpec(String name, String framework, List<String> classes, IngestLoss loss, JsonObject meta) {

    private static final Set<String> FIELDS = Set.of(
            "name",
            "classes",
            "loss",
            "convention",
            "framework",
            "fromLogits",
            "classWeights",
            "posWeight",
            "gamma",
            "alpha",
            "dice",
            "smooth",
            "diceEpsilon",
            "bceDiceWeights",
            "threshold");
    private static final String CLASS_NAME = "[A-Za-z0-9_.+ -]{1,64}";

    ExternalRunSpec {
        classes = List.copyOf(classes);
    }

    /** @throws IngestException (400) naming the first field that is missing, unknown or out of range */
    static ExternalRunSpec parse(Object body, int maxClasses) {
        JsonFields f = new JsonFields(body, "");
        f.onlyKnown(FIELDS);
        String name = f.text("name", 200, null);
        String framework = f.text("framework", 200, "");
        JsonArray list = f.array("classes", maxClasses);
        if (list == null || list.isEmpty()) {
            throw JsonFields.bad("classes", "required: an array of 1 to " + maxClasses + " class names");
        }
        List<String> classes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < list.size(); c++) {
            Object item = list.getValue(c);
            if (!(item instanceof String s) || !s.matches(CLASS_NAME)) {
                throw JsonFields.bad(
                        "classes[" + c + "]",
                        "must be a name of 1 to 64 letters, digits, spaces and _.+-, got " + JsonFields.shown(item));
            }
            if (!seen.add(s)) {
                throw JsonFields.bad("classes[" + c + "]", "duplicate class name \"" + s + "\"");
            }
            classes.add(s);
        }
        int n = classes.size();
        LossFunction function = parse("loss", f.text("loss", 20, null), LossFunction::parse);
        Convention convention = parse("convention", f.text("convention", 20, null), Convention::parse);
        boolean fromLogits = f.flag("fromLogits", false);
        double[] classWeights = numbers(f, "classWeights", n);
        double[] posWeights = numbers(f, "posWeight", n);
        double gamma = f.number("gamma", 0, convention.defaultFocalGamma());
        // absent: the convention's default; null: no alpha
        double alpha = f.has("alpha")
                ? f.number("alpha", 0, Double.NaN)
                : f.object().containsKey("alpha") ? Double.NaN : convention.defaultFocalAlpha();
        String diceMode = f.text("dice", 10, "micro").toLowerCase(Locale.ROOT);
        if (!diceMode.equals("micro") && !diceMode.equals("macro")) {
            throw JsonFields.bad("dice", "must be micro or macro, got " + JsonFields.shown(diceMode));
        }
        double smooth = f.number("smooth", 0, convention.defaultDiceSmooth());
        double epsilon = f.number("diceEpsilon", 0, convention.defaultDiceEpsilon());
        double threshold = f.number("threshold", 0, 0.5);
        double[] parts = {1, 1};
        JsonArray partList = f.array("bceDiceWeights", 2);
        if (partList != null) {
            if (function != LossFunction.BCE_DICE) {
                throw JsonFields.bad("bceDiceWeights", "applies to loss bce_dice only, not " + function.label());
            }
            parts = numbers(f, "bceDiceWeights", 2);
        }
        if (function == LossFunction.CCE && convention == Convention.TORCH && !allOnes(classWeights)) {
            throw JsonFields.bad(
                    "classWeights",
                    "torch's weighted CrossEntropyLoss divides by the summed target weights, which records do not"
                            + " carry; send unweighted sums");
        }
        IngestLoss loss;
        try {
            loss = new IngestLoss(
                    new LossSpec(
                            function,
                            convention,
                            fromLogits,
                            classWeights,
                            posWeights,
                            gamma,
                            alpha,
                            diceMode.equals("micro") ? LossSpec.DiceMode.MICRO : LossSpec.DiceMode.MACRO,
                            smooth,
                            epsilon,
                            false,
                            threshold),
                    parts[0],
                    parts[1]);
        } catch (IllegalArgumentException e) {
            throw JsonFields.bad("loss", e.getMessage());
        }
        JsonObject meta = new JsonObject()
                .put("name", name)
                .put("classes", new JsonArray(classes))
                .put("loss", function.label())
                .put("convention", convention.label())
                .put("fromLogits", fromLogits)
                .put("classWeights", array(classWeights))
                .put("posWeight", array(posWeights))
                .put("gamma", gamma)
                .put("alpha", Double.isNaN(alpha) ? null : alpha)
                .put("dice", diceMode)
                .put("smooth", smooth)
                .put("diceEpsilon", epsilon)
                .put("threshold", threshold);
        if (!framework.isEmpty()) {
            meta.put("framework", framework);
        }
        if (function == LossFunction.BCE_DICE) {
            meta.put("bceDiceWeights", array(parts));
        }
        return new ExternalRunSpec(name, framework, classes, loss, meta);
    }

    /** The spec of a stored run, from its {@link #meta()}. */
    static ExternalRunSpec fromMeta(JsonObject meta) {
        return parse(meta.copy(), Integer.MAX_VALUE - 1);
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(String field, String text, Parser<T> parser) {
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw JsonFields.bad(field, e.getMessage());
        }
    }

    private static double[] numbers(JsonFields f, String key, int size) {
        JsonArray list = f.array(key, size);
        double[] values = new double[size];
        if (list == null) {
            java.util.Arrays.fill(values, 1);
            return values;
        }
        if (list.size() != size) {
            throw JsonFields.bad(key, "must have " + size + " numbers, got " + list.size());
        }
        for (int i = 0; i < size; i++) {
            Object item = list.getValue(i);
            if (!(item instanceof Number x) || !(x.doubleValue() > 0) || Double.isInfinite(x.doubleValue())) {
                throw JsonFields.bad(key + "[" + i + "]", "must be a finite number > 0, got " + JsonFields.shown(item));
            }
            values[i] = x.doubleValue();
        }
        return values;
    }

    private static boolean allOnes(double[] values) {
        for (double v : values) {
            if (v != 1) {
                return false;
            }
        }
        return true;
    }

    private static JsonArray array(double[] values) {
        JsonArray array = new JsonArray();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }
}
