package io.lossprism.bus;

import io.lossprism.loss.ConfusionCounts;
import io.lossprism.loss.IouAverages;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.objective.Objective;
import io.lossprism.probes.ClassOverlay;
import io.lossprism.probes.OverlayPainter;
import io.lossprism.probes.ProbePrediction;
import io.lossprism.probes.ProbeSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The JSON form of the bus messages, as the browser, API clients and the decompose command see them.
 * Undefined numbers (NaN, infinite) become {@code null}, never 0.
 */
public final class ReportJson {

    private ReportJson() {}

    /** One class: index, name, loss, positiveLoss, negativeLoss, means, prevalence, counts and ratios. */
    public static JsonObject classReport(ClassReport c) {
        return new JsonObject()
                .put("index", c.index())
                .put("name", c.name())
                .put("loss", number(c.loss()))
                .put("positiveLoss", number(c.positiveLoss()))
                .put("negativeLoss", number(c.negativeLoss()))
                .put("meanPositiveLoss", number(c.meanPositiveLoss()))
                .put("meanNegativeLoss", number(c.meanNegativeLoss()))
                .put("prevalence", number(c.prevalence()))
                .put("tp", c.tp())
                .put("fp", c.fp())
                .put("fn", c.fn())
                .put("tn", c.tn())
                .put("iou", number(c.iou()))
                .put("dice", number(c.dice()))
                .put("precision", number(c.precision()))
                .put("recall", number(c.recall()));
    }

    /**
     * A batch report with what the dashboard shows of all classes together, so that no client recomputes
     * it: {@code meanPositiveLoss}, and the micro, macro and frequency-weighted averages of IoU and Dice.
     */
    public static JsonObject batch(BatchReport r) {
        JsonArray classes = new JsonArray();
        List<ConfusionCounts> counts = new ArrayList<>(r.classes().size());
        for (ClassReport c : r.classes()) {
            classes.add(classReport(c));
            counts.add(new ConfusionCounts(c.tp(), c.fp(), c.fn(), c.tn()));
        }
        JsonObject json = new JsonObject()
                .put("type", "batch")
                .put("version", r.version())
                .put("run", r.runId())
                .put("split", r.split())
                .put("epoch", r.epoch())
                .put("iteration", r.iteration())
                .put("timestamp", r.timestamp())
                .put("images", r.images())
                .put("convention", r.convention())
                .put("loss", number(r.loss()))
                .put("reportedLoss", number(r.reportedLoss()))
                .put("residual", number(r.residual()))
                .put("meanElementLoss", number(r.meanElementLoss()))
                .put("meanPositiveLoss", number(r.meanPositiveLoss()))
                .put("imagesPerSecond", number(r.imagesPerSecond()))
                .put("iou", averages(counts, ConfusionCounts::iou))
                .put("dice", averages(counts, ConfusionCounts::dice))
                .put("classes", classes);
        if (r.lossSpec() != null) {
            json.put("lossSpec", lossSpec(r.lossSpec()));
        }
        return json;
    }

    /**
     * What explains a trained loss: its family, convention and formula, and the parameters that family
     * uses (class weights and pos_weight for the cross-entropy part, gamma and alpha for focal, the Dice
     * mode and smoothing, the weights of bce_dice's two parts).
     */
    public static JsonObject lossSpec(Objective o) {
        LossSpec spec = o.spec();
        JsonObject json = new JsonObject()
                .put("function", o.function().label())
                .put("convention", spec.convention().label())
                .put("fromLogits", spec.fromLogits())
                .put("formula", o.formula());
        if (o.hasCrossEntropy()) {
            json.put("classWeights", numbers(spec.classWeights()))
                    .put("posWeight", numbers(spec.posWeights()))
                    .put("clipEpsilon", Objective.DL4J_CLIP_EPSILON);
        }
        if (o.function() == LossFunction.FOCAL) {
            json.put("gamma", spec.gamma()).put("alpha", number(spec.alpha()));
        }
        if (o.hasDice()) {
            json.put("dice", spec.dice().name().toLowerCase(Locale.ROOT)).put("smooth", spec.smooth());
        }
        if (o.hasCrossEntropy() && o.hasDice()) {
            json.put(
                    "weights",
                    new JsonObject().put("crossEntropy", o.crossEntropyWeight()).put("dice", o.diceWeight()));
        }
        return json;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray array = new JsonArray();
        for (double v : values) {
            array.add(number(v));
        }
        return array;
    }

    /** {@code micro}, {@code macro} and {@code frequencyWeighted} of a ratio of the classes' counts. */
    private static JsonObject averages(List<ConfusionCounts> counts, ToDoubleFunction<ConfusionCounts> ratio) {
        IouAverages a = IouAverages.of(counts, ratio);
        return new JsonObject()
                .put("micro", number(a.micro()))
                .put("macro", number(a.macro()))
                .put("frequencyWeighted", number(a.frequencyWeighted()));
    }

    public static JsonObject status(TrainingStatus s) {
        return new JsonObject()
                .put("runId", s.runId())
                .put("state", s.state().label())
                .put("epoch", s.epoch())
                .put("epochs", s.epochs())
                .put("iteration", s.iteration())
                .put("iterationsPerEpoch", s.iterationsPerEpoch())
                .put("imagesPerSecond", number(s.imagesPerSecond()))
                .put("message", s.message())
                .put("skippedFiles", s.skippedFiles());
    }

    public static JsonObject alert(AlertEvent e) {
        return new JsonObject()
                .put("type", "alert")
                .put("version", e.version())
                .put("run", e.runId())
                .put("alertname", e.alertName())
                .put("class", e.className())
                .put("severity", e.severity())
                .put("split", e.split())
                .put("from", e.from())
                .put("to", e.to())
                .put("iteration", e.iteration())
                .put("timestamp", e.timestamp())
                .put("value", number(e.value()))
                .put("threshold", number(e.threshold()))
                .put("evidence", evidence(e.evidence()))
                .put("summary", e.summary())
                .put("decomposition", batch(e.report()));
    }

    /** The {@code samples} message: images and overlays as PNG data URLs, with the overlay colours. */
    public static JsonObject samples(ProbeSet s) {
        JsonArray images = new JsonArray();
        for (ProbePrediction image : s.images()) {
            JsonArray classes = new JsonArray();
            for (ClassOverlay c : image.classes()) {
                classes.add(new JsonObject()
                        .put("name", c.name())
                        .put("overlay", pngDataUrl(c.overlayPng()))
                        .put("tp", c.tp())
                        .put("fp", c.fp())
                        .put("fn", c.fn())
                        .put("iou", number(c.iou())));
            }
            images.add(new JsonObject()
                    .put("index", image.index())
                    .put("image", pngDataUrl(image.imagePng()))
                    .put("classes", classes));
        }
        return new JsonObject()
                .put("type", "samples")
                .put("run", s.runId())
                .put("iteration", s.iteration())
                .put("split", s.split())
                .put("threshold", number(s.threshold()))
                .put(
                        "colours",
                        new JsonObject()
                                .put("tp", colour(OverlayPainter.TP_COLOUR))
                                .put("fp", colour(OverlayPainter.FP_COLOUR))
                                .put("fn", colour(OverlayPainter.FN_COLOUR)))
                .put("images", images);
    }

    private static String pngDataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** CSS form of a 0xRRGGBB colour. */
    private static String colour(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    public static JsonObject evidence(Map<String, Double> values) {
        JsonObject json = new JsonObject();
        values.forEach((k, v) -> json.put(k, number(v)));
        return json;
    }

    public static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
