package io.lossprism.cli;

import io.lossprism.bus.ClassReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.Precision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The machine-readable answer: exactly the documented fields; an undefined number is null. */
final class DecompositionJson {

    private DecompositionJson() {}

    static String render(Decomposition d, LossSpec spec, Precision precision, List<String> names) {
        JsonArray classes = new JsonArray();
        for (ClassBreakdown c : d.classes()) {
            classes.add(ReportJson.classReport(ClassReport.of(c, names.get(c.index()))));
        }
        return new JsonObject()
                        .put("loss", ReportJson.number(d.loss()))
                        .put("convention", spec.convention().label())
                        .put("precision", precision.label())
                        .put("lossFunction", spec.function().label())
                        .put("classes", classes)
                        .put(
                                "iou",
                                new JsonObject()
                                        .put("micro", ReportJson.number(d.iou().micro()))
                                        .put("macro", ReportJson.number(d.iou().macro()))
                                        .put(
                                                "frequencyWeighted",
                                                ReportJson.number(d.iou().frequencyWeighted())))
                        .encodePrettily()
                + System.lineSeparator();
    }
}
