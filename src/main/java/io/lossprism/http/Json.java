package io.lossprism.http;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON the browser and API clients see. Undefined numbers (NaN, infinite) become {@code null}. */
final class Json {

    private Json() {
    }

    static JsonObject batch(BatchReport r) {
        JsonArray classes = new JsonArray();
        for (ClassReport c : r.classes()) {
            classes.add(new JsonObject()
                    .put("index", c.index())
                    .put("name", c.name())
                    .put("loss", number(c.loss()))
                    .put("positiveLoss", number(c.positiveLoss()))
                    .put("negativeLoss", number(c.negativeLoss()))
                    .put("meanPositiveLoss", number(c.meanPositiveLoss()))
                    .put("meanNegativeLoss", number(c.meanNegativeLoss()))
                    .put("prevalence", number(c.prevalence()))
                    .put("tp", c.tp()).put("fp", c.fp()).put("fn", c.fn()).put("tn", c.tn())
                    .put("iou", number(c.iou()))
                    .put("dice", number(c.dice()))
                    .put("precision", number(c.precision()))
                    .put("recall", number(c.recall())));
        }
        return new JsonObject()
                .put("type", "batch")
                .put("version", r.version())
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
                .put("imagesPerSecond", number(r.imagesPerSecond()))
                .put("classes", classes);
    }

    static JsonObject status(TrainingStatus s) {
        return new JsonObject()
                .put("state", s.state().label())
                .put("epoch", s.epoch())
                .put("epochs", s.epochs())
                .put("iteration", s.iteration())
                .put("iterationsPerEpoch", s.iterationsPerEpoch())
                .put("imagesPerSecond", number(s.imagesPerSecond()))
                .put("message", s.message());
    }

    static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
