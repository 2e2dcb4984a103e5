package io.lossprism.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;

/** Report JSON shaped like the training's batch reports, small enough to check by hand. */
final class SampleReports {

    private SampleReports() {}

    /** A report with two classes whose numbers derive from the iteration and loss. */
    static String report(String split, long iteration, double loss) {
        JsonArray classes = new JsonArray()
                .add(new JsonObject()
                        .put("index", 0)
                        .put("name", "disc")
                        .put("loss", loss * 0.75)
                        .put("iou", 0.9)
                        .put("tp", 100 + iteration))
                .add(new JsonObject()
                        .put("index", 1)
                        .put("name", "speck")
                        .put("loss", loss * 0.25)
                        .put("iou", null)
                        .put("tp", 0));
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

    /** A batch report like the training's: 5 classes with every field, numbers drawn from the iteration. */
    static String realistic(long iteration) {
        Random random = new Random(iteration);
        JsonArray classes = new JsonArray();
        String[] names = {"disc", "bar", "box", "ring", "speck"};
        for (int c = 0; c < names.length; c++) {
            classes.add(new JsonObject()
                    .put("index", c)
                    .put("name", names[c])
                    .put("loss", random.nextDouble())
                    .put("positiveLoss", random.nextDouble())
                    .put("negativeLoss", random.nextDouble())
                    .put("meanPositiveLoss", random.nextDouble())
                    .put("meanNegativeLoss", random.nextDouble())
                    .put("prevalence", random.nextDouble())
                    .put("tp", random.nextInt(100_000))
                    .put("fp", random.nextInt(1_000))
                    .put("fn", random.nextInt(1_000))
                    .put("tn", random.nextInt(1_000_000))
                    .put("iou", random.nextDouble())
                    .put("dice", random.nextDouble())
                    .put("precision", random.nextDouble())
                    .put("recall", random.nextDouble()));
        }
        return new JsonObject()
                .put("type", "batch")
                .put("version", 1)
                .put("split", "train")
                .put("epoch", (int) (iteration / 1000))
                .put("iteration", iteration)
                .put("timestamp", 1_700_000_000_000L + iteration * 250)
                .put("images", 16)
                .put("convention", "dl4j")
                .put("loss", random.nextDouble())
                .put("reportedLoss", random.nextDouble())
                .put("residual", random.nextDouble() * 1e-7)
                .put("meanElementLoss", random.nextDouble())
                .put("imagesPerSecond", 60 + random.nextDouble())
                .put("classes", classes)
                .encode();
    }
}
