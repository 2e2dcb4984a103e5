package io.lossprism.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Report JSON shaped like the training's batch reports, small enough to check by hand. */
final class SampleReports {

    private SampleReports() {
    }

    /** A report with two classes whose numbers derive from the iteration and loss. */
    static String report(String split, long iteration, double loss) {
        JsonArray classes = new JsonArray()
                .add(new JsonObject().put("index", 0).put("name", "disc").put("loss", loss * 0.75)
                        .put("iou", 0.9).put("tp", 100 + iteration))
                .add(new JsonObject().put("index", 1).put("name", "speck").put("loss", loss * 0.25)
                        .put("iou", null).put("tp", 0));
        return new JsonObject()
                .put("type", "batch")
                .put("split", split)
                .put("iteration", iteration)
                .put("epoch", (int) (iteration / 100))
                .put("timestamp", 1_700_000_000_000L + iteration * 250)
                .put("loss", loss)
                .put("classes", classes)
                .encode();
    }

    static String train(long iteration) {
        return report("train", iteration, 1.0 / iteration);
    }
}
