package io.lossprism.http;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.config.LossConfig;
import io.lossprism.config.ModelConfig;
import io.lossprism.runs.RunControl;
import io.lossprism.store.RunHistory;
import io.lossprism.store.RunRecord;
import io.lossprism.store.StoredReport;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the runs view shows of each run beyond its state: its kind, its loss and model as configured (with the
 * network's size once it trained), the latest train and validation IoU and Dice per class, and how many
 * alerts fired. Reads the store: call off
 * the event loop.
 */
final class RunListing {

    /** The kind of runs LossPrism trains itself. */
    static final String KIND = "dl4j";

    private final RunHistory stored;
    private final RunControl runs;

    RunListing(RunHistory stored, RunControl runs) {
        this.stored = stored;
        this.runs = runs;
    }

    /** Adds the runs view's fields to a run's summary. */
    JsonObject entry(RunRecord run, JsonObject summary) {
        AppConfig config = config(run);
        JsonObject latest = new JsonObject();
        for (String split : List.of("train", "validation")) {
            latest.put(
                    split,
                    stored.latestReport(run.id(), split)
                            .map(RunListing::perClass)
                            .orElse(null));
        }
        return summary.put("kind", KIND)
                .put("loss", config == null ? null : loss(config))
                .put("model", config == null ? null : model(config.model()).mergeIn(network(run.id())))
                .put("latest", latest)
                .put("alertCount", stored.firedAlerts(run.id()));
    }

    /** The run's stored values bound to a configuration; null when they no longer bind (an older schema). */
    private static AppConfig config(RunRecord run) {
        try {
            return ConfigLoader.fromValues(new JsonObject(run.configJson()).getMap(), List.of());
        } catch (ConfigException | DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** The loss and the parameters its family uses, named as the training.* keys. */
    static JsonObject loss(AppConfig config) {
        LossConfig loss = config.training().loss();
        boolean crossEntropy = !"dice".equals(loss.function());
        boolean dice = "dice".equals(loss.function()) || "bce_dice".equals(loss.function());
        JsonObject json = new JsonObject().put("function", loss.function());
        if (crossEntropy) {
            json.put("classWeights", new JsonArray(config.training().classWeights()))
                    .put("posWeight", new JsonArray(loss.posWeight()));
        }
        if ("focal".equals(loss.function())) {
            json.put("focalGamma", loss.focalGamma())
                    .put("focalAlpha", Double.isNaN(loss.focalAlpha()) ? null : loss.focalAlpha());
        }
        if (dice) {
            json.put("dice", loss.dice()).put("diceSmooth", loss.diceSmooth());
        }
        if ("bce_dice".equals(loss.function())) {
            json.put("bceDiceWeights", new JsonArray(loss.bceDiceWeights()));
        }
        return json;
    }

    /** The network's source and, for a file, its name (not the server's path) and recorded hash. */
    static JsonObject model(ModelConfig model) {
        return new JsonObject()
                .put("source", model.source())
                .put(
                        "file",
                        model.file().isEmpty()
                                ? null
                                : String.valueOf(Path.of(model.file()).getFileName()))
                .put("sha256", model.sha256().isEmpty() ? null : model.sha256());
    }

    /** The size of the network the run trained, once it started: {@code layers} and {@code parameters}. */
    private JsonObject network(String runId) {
        try {
            JsonObject summary = runs.model(runId);
            return summary == null
                    ? new JsonObject()
                    : new JsonObject()
                            .put("layers", summary.getValue("layers"))
                            .put("parameters", summary.getValue("parameters"));
        } catch (IOException | DecodeException e) {
            return new JsonObject(); // an unreadable summary only leaves the size out
        }
    }

    /** {"iteration": N, "classes": [{"name", "iou", "dice"}]} from a stored report. */
    private static JsonObject perClass(StoredReport report) {
        JsonArray classes = new JsonArray();
        JsonObject json = new JsonObject(report.json());
        for (Object item : json.getJsonArray("classes", new JsonArray())) {
            if (item instanceof JsonObject c) {
                classes.add(new JsonObject()
                        .put("name", c.getValue("name"))
                        .put("iou", c.getValue("iou"))
                        .put("dice", c.getValue("dice")));
            }
        }
        return new JsonObject().put("iteration", report.iteration()).put("classes", classes);
    }
}
