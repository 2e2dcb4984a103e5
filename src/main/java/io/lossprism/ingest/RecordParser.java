package io.lossprism.ingest;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the batch records of one request against their run: types and ranges, the sums the run's loss
 * needs (and no others), and counts that agree with each other. The first problem is refused with the
 * field's path, e.g. {@code records[3].classes[1].tp: must be a non-negative integer}.
 */
final class RecordParser {

    private static final Set<String> RECORD_FIELDS =
            Set.of("step", "epoch", "split", "images", "loss", "timestamp", "classes");
    private static final Set<String> CROSS_ENTROPY = Set.of("positiveLoss", "negativeLoss");
    private static final Set<String> DICE = Set.of("intersection", "predictionSum", "truthSum");
    private static final Set<String> COUNTS = Set.of("positives", "elements", "tp", "fp", "fn", "tn");
    /** Float32 sums of the same values in another order differ by rounding: allowed this relative slack. */
    private static final double SLACK = 1e-5;

    private final IngestLoss loss;
    private final int classes;
    private final Set<String> classFields;

    RecordParser(IngestLoss loss, int classes) {
        this.loss = loss;
        this.classes = classes;
        Set<String> fields = new java.util.HashSet<>(COUNTS);
        if (loss.hasCrossEntropy()) {
            fields.addAll(CROSS_ENTROPY);
        }
        if (loss.hasDice()) {
            fields.addAll(DICE);
        }
        this.classFields = Set.copyOf(fields);
    }

    List<BatchRecord> parse(List<?> records) {
        List<BatchRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parsed.add(record(records.get(i), "records[" + i + "]"));
        }
        return parsed;
    }

    private BatchRecord record(Object value, String path) {
        JsonFields f = new JsonFields(value, path);
        f.onlyKnown(RECORD_FIELDS);
        long step = f.integer("step", 1, JsonFields.MAX_EXACT, null);
        int epoch = (int) f.integer("epoch", 0, Integer.MAX_VALUE, 0L);
        String split = f.text("split", 20, "train");
        if (!split.equals("train") && !split.equals("validation")) {
            throw JsonFields.bad(f.path("split"), "must be train or validation, got " + JsonFields.shown(split));
        }
        int images = (int) f.integer("images", 1, Integer.MAX_VALUE, null);
        double reported = f.optionalNumber("loss");
        long timestamp = f.integer("timestamp", 0, JsonFields.MAX_EXACT, 0L);
        JsonArray list = f.array("classes", classes);
        if (list == null || list.size() != classes) {
            throw JsonFields.bad(
                    f.path("classes"),
                    "must be an array of one entry per class of the run (" + classes + "), got "
                            + (list == null ? "none" : list.size()));
        }
        List<ClassSums> sums = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            ClassSums s = classSums(list.getValue(c), f.path("classes[" + c + "]"), images);
            if (c > 0 && s.elements() != sums.get(0).elements()) {
                throw JsonFields.bad(
                        f.path("classes[" + c + "].elements"),
                        "must equal classes[0].elements (" + sums.get(0).elements() + "): every class has one element"
                                + " per position, got " + s.elements());
            }
            sums.add(s);
        }
        return new BatchRecord(step, epoch, split, images, reported, timestamp, sums);
    }

    private ClassSums classSums(Object value, String path, int images) {
        JsonFields f = new JsonFields(value, path);
        f.onlyKnown(classFields);
        long max = JsonFields.MAX_EXACT;
        long elements = f.integer("elements", 1, max, null);
        long positives = f.integer("positives", 0, max, null);
        long tp = f.integer("tp", 0, max, null);
        long fp = f.integer("fp", 0, max, null);
        long fn = f.integer("fn", 0, max, null);
        long tn = f.integer("tn", 0, max, null);
        if (elements % images != 0) {
            throw JsonFields.bad(
                    f.path("elements"),
                    "must be a multiple of images (" + images + "): positions per image, got " + elements);
        }
        if (positives > elements) {
            throw JsonFields.bad(f.path("positives"), "must not exceed elements (" + elements + "), got " + positives);
        }
        if (tp + fn != positives) {
            throw JsonFields.bad(
                    f.path("fn"), "tp + fn (" + tp + " + " + fn + ") must equal positives (" + positives + ")");
        }
        if (tp + fp + fn + tn != elements) {
            throw JsonFields.bad(
                    f.path("tn"),
                    "tp + fp + fn + tn (" + (tp + fp + fn + tn) + ") must equal elements (" + elements + ")");
        }
        double positiveLoss = Double.NaN;
        double negativeLoss = Double.NaN;
        if (loss.hasCrossEntropy()) {
            positiveLoss = f.number("positiveLoss", 0, Double.NaN);
            negativeLoss = f.number("negativeLoss", 0, Double.NaN);
            if (positives == 0 && positiveLoss != 0) {
                throw JsonFields.bad(f.path("positiveLoss"), "must be 0 when positives is 0, got " + positiveLoss);
            }
            if (positives == elements && negativeLoss != 0) {
                throw JsonFields.bad(
                        f.path("negativeLoss"), "must be 0 when every element is positive, got " + negativeLoss);
            }
        }
        double intersection = Double.NaN;
        double predictionSum = Double.NaN;
        double truthSum = Double.NaN;
        if (loss.hasDice()) {
            intersection = f.number("intersection", 0, Double.NaN);
            predictionSum = f.number("predictionSum", 0, Double.NaN);
            truthSum = f.number("truthSum", 0, Double.NaN);
            if (predictionSum > elements * (1 + SLACK)) {
                throw JsonFields.bad(
                        f.path("predictionSum"),
                        "must not exceed elements (" + elements + "): predictions are at most 1, got " + predictionSum);
            }
            if (truthSum > elements * (1 + SLACK)) {
                throw JsonFields.bad(
                        f.path("truthSum"),
                        "must not exceed elements (" + elements + "): targets are at most 1, got " + truthSum);
            }
            if (intersection > Math.min(predictionSum, truthSum) * (1 + SLACK) + SLACK) {
                throw JsonFields.bad(
                        f.path("intersection"),
                        "must not exceed predictionSum (" + predictionSum + ") or truthSum (" + truthSum + "), got "
                                + intersection);
            }
        }
        return new ClassSums(
                positiveLoss, negativeLoss, positives, elements, tp, fp, fn, tn, intersection, predictionSum, truthSum);
    }
}
