package io.lossprism.cli;

import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.ConfusionCounts;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.LossSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The machine-readable answer: exactly the documented fields; an undefined number is null. */
final class DecompositionJson {

    private DecompositionJson() {
    }

    static String render(Decomposition d, LossSpec spec, List<String> names) {
        JsonArray classes = new JsonArray();
        for (ClassBreakdown c : d.classes()) {
            ConfusionCounts n = c.counts();
            classes.add(new JsonObject()
                    .put("index", c.index())
                    .put("name", names.get(c.index()))
                    .put("loss", number(c.loss()))
                    .put("positiveLoss", number(c.positiveLoss()))
                    .put("negativeLoss", number(c.negativeLoss()))
                    .put("meanPositiveLoss", number(c.meanPositiveLoss()))
                    .put("meanNegativeLoss", number(c.meanNegativeLoss()))
                    .put("prevalence", number(c.prevalence()))
                    .put("tp", n.tp())
                    .put("fp", n.fp())
                    .put("fn", n.fn())
                    .put("tn", n.tn())
                    .put("iou", number(n.iou()))
                    .put("dice", number(n.dice()))
                    .put("precision", number(n.precision()))
                    .put("recall", number(n.recall())));
        }
        return new JsonObject()
                .put("loss", number(d.loss()))
                .put("convention", spec.convention().label())
                .put("lossFunction", spec.function().label())
                .put("classes", classes)
                .put("iou", new JsonObject()
                        .put("micro", number(d.iou().micro()))
                        .put("macro", number(d.iou().macro()))
                        .put("frequencyWeighted", number(d.iou().frequencyWeighted())))
                .encodePrettily() + System.lineSeparator();
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
