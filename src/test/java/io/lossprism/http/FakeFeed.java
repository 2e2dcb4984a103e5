package io.lossprism.http;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.ReportJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Feed messages of docs/protocol.md with numbers small enough to check by hand, for driving the
 * dashboard through its test hook where the server does not send them yet.
 *
 * <p>Three classes, 2 images of 10 pixels (P = 10, N = 2, C = 3), DL4J convention. Class terms
 * a = 5, b = 2.5, c = 5: the loss is 12.5 at every iteration.
 */
final class FakeFeed {

    static final List<String> CLASSES = List.of("a", "b", "c");

    private FakeFeed() {}

    static JsonObject hello(String runId, String state) {
        return new JsonObject()
                .put("type", "hello")
                .put("version", 1)
                .put(
                        "run",
                        new JsonObject().put("id", runId).put("state", state).put("createdAt", 1_700_000_000_000L))
                .put("classes", new JsonArray(CLASSES))
                .put("imageSize", 4)
                .put("batchSize", 2)
                .put("epochs", 3)
                .put("iterationsPerEpoch", 10)
                .put("convention", "dl4j")
                .put("controlsNeedToken", true)
                .put("status", status(state, 0));
    }

    static JsonObject status(String state, long iteration) {
        return new JsonObject()
                .put("type", "status")
                .put("state", state)
                .put("epoch", iteration / 10)
                .put("epochs", 3)
                .put("iteration", iteration)
                .put("iterationsPerEpoch", 10)
                .put("imagesPerSecond", 20.0)
                .put("message", "");
    }

    /**
     * Counts per class over the 20 pixels: a is found well, b is absent, c is missed (IoU 0.1). Made by
     * {@link ReportJson#batch}, so the values of all classes together are the server's.
     */
    static JsonObject batch(long iteration, String split) {
        List<ClassReport> classes = List.of(
                cls(0, "a", 5.0, 8, 1, 1, 10, 0.8),
                cls(1, "b", 2.5, 0, 0, 0, 20, Double.NaN),
                cls(2, "c", 5.0, 1, 1, 8, 10, 0.1));
        return ReportJson.batch(new BatchReport(
                "run-1",
                BatchReport.VERSION,
                split,
                (int) ((iteration - 1) / 10),
                iteration,
                1_700_000_000_000L + iteration,
                2,
                "dl4j",
                12.5,
                12.5001,
                12.5 * 2 / 60,
                20.0,
                classes));
    }

    private static ClassReport cls(
            int index, String name, double loss, long tp, long fp, long fn, long tn, double iou) {
        long positives = tp + fn;
        return new ClassReport(
                index,
                name,
                loss,
                loss * 0.6,
                loss * 0.4,
                positives == 0 ? Double.NaN : loss * 0.6 * 2 / positives,
                loss * 0.4 * 2 / (20 - positives),
                positives / 20.0,
                tp,
                fp,
                fn,
                tn,
                iou,
                2 * iou / (1 + iou),
                Double.NaN,
                Double.NaN);
    }

    /** A history message as the server writes it (columnar), of these iterations' batches. */
    static JsonObject history(String split, long after, long... iterations) {
        ReportHistory reports = new ReportHistory();
        for (long i : iterations) {
            reports.add(split, i, batch(i, split).encode());
        }
        return new JsonObject(FeedMessages.history(reports.since(split, after, LiveFeed.HISTORY_POINTS)));
    }

    static JsonObject samples(long iteration, int images) {
        String input = png(Color.DARK_GRAY);
        String overlay = png(new Color(0, 0x9E, 0x73));
        JsonArray list = new JsonArray();
        for (int k = 0; k < images; k++) {
            JsonArray classes = new JsonArray();
            for (String name : CLASSES) {
                classes.add(new JsonObject()
                        .put("name", name)
                        .put("overlay", overlay)
                        .put("tp", 12)
                        .put("fp", 3)
                        .put("fn", 4)
                        .put("iou", 12.0 / 19));
            }
            list.add(new JsonObject().put("index", k).put("image", input).put("classes", classes));
        }
        return new JsonObject()
                .put("type", "samples")
                .put("iteration", iteration)
                .put("split", "train")
                .put("threshold", 0.5)
                .put(
                        "colours",
                        new JsonObject()
                                .put("tp", "#009e73")
                                .put("fp", "#e69f00")
                                .put("fn", "#0072b2"))
                .put("images", list);
    }

    static JsonObject controlResult(String requestId, String action, boolean ok, String error) {
        JsonObject json = new JsonObject()
                .put("type", "control-result")
                .put("requestId", requestId)
                .put("action", action)
                .put("ok", ok);
        return ok ? json : json.put("error", error);
    }

    static JsonObject alerts(String cls) {
        JsonObject evidence =
                new JsonObject().put("classIou", 0.1).put("othersMeanIou", 0.8).put("lag", 0.7);
        JsonObject active = new JsonObject()
                .put("alertname", "LossPrismClassIouLagging")
                .put("class", cls)
                .put("severity", "warning")
                .put("split", "train")
                .put("state", "firing")
                .put("sinceIteration", 5)
                .put("value", 0.7)
                .put("evidence", evidence)
                .put("summary", "class " + cls + " lags");
        JsonObject transition = new JsonObject()
                .put("alertname", "LossPrismClassIouLagging")
                .put("class", cls)
                .put("severity", "warning")
                .put("split", "train")
                .put("from", "pending")
                .put("to", "firing")
                .put("iteration", 5)
                .put("timestamp", 1_700_000_000_000L)
                .put("value", 0.7)
                .put("threshold", 0.3)
                .put("evidence", evidence)
                .put("summary", "class " + cls + " lags")
                .put("decomposition", batch(5, "train"));
        return new JsonObject()
                .put("type", "alerts")
                .put("active", new JsonArray().add(active))
                .put("history", new JsonArray().add(transition));
    }

    /** A 4x4 PNG of one colour, as a data URL. */
    private static String png(Color colour) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, colour.getRGB());
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
