package io.lossprism.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.loss.Convention;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad record is refused with the field's path; good ones come through as sent. */
class RecordParserTest {

    private static final IngestLoss BCE =
            new IngestLoss(LossSpec.of(LossFunction.BCE, Convention.KERAS, false, LossSpec.ones(2)), 1, 1);
    private static final IngestLoss DICE =
            new IngestLoss(LossSpec.of(LossFunction.DICE, Convention.KERAS, false, LossSpec.ones(2)), 1, 1);
    private static final IngestLoss BCE_DICE =
            new IngestLoss(LossSpec.of(LossFunction.BCE_DICE, Convention.TORCH, false, LossSpec.ones(2)), 1, 1);

    static JsonObject crossEntropyClass() {
        return new JsonObject()
                .put("positiveLoss", 1.5)
                .put("negativeLoss", 0.25)
                .put("positives", 3)
                .put("elements", 8)
                .put("tp", 2)
                .put("fp", 1)
                .put("fn", 1)
                .put("tn", 4);
    }

    static JsonObject diceClass() {
        return crossEntropyClass()
                .copy()
                .put("intersection", 2.0)
                .put("predictionSum", 3.0)
                .put("truthSum", 3.0);
    }

    static JsonObject record(JsonObject c0, JsonObject c1) {
        return new JsonObject()
                .put("step", 3)
                .put("epoch", 1)
                .put("split", "validation")
                .put("images", 2)
                .put("loss", 0.2)
                .put("classes", new JsonArray().add(c0).add(c1));
    }

    static JsonObject good() {
        return record(crossEntropyClass(), crossEntropyClass());
    }

    @Test
    void aGoodRecordComesThroughAsSent() {
        List<BatchRecord> parsed = new RecordParser(BCE, 2).parse(List.of(good()));

        BatchRecord r = parsed.get(0);
        assertThat(r.step()).isEqualTo(3);
        assertThat(r.epoch()).isEqualTo(1);
        assertThat(r.split()).isEqualTo("validation");
        assertThat(r.images()).isEqualTo(2);
        assertThat(r.loss()).isEqualTo(0.2);
        assertThat(r.classes().get(1))
                .isEqualTo(new ClassSums(1.5, 0.25, 3, 8, 2, 1, 1, 4, Double.NaN, Double.NaN, Double.NaN));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        JsonObject minimal = good();
        minimal.remove("epoch");
        minimal.remove("split");
        minimal.remove("loss");

        BatchRecord r = new RecordParser(BCE, 2).parse(List.of(minimal)).get(0);

        assertThat(r.epoch()).isZero();
        assertThat(r.split()).isEqualTo("train");
        assertThat(r.loss()).isNaN();
        assertThat(r.timestamp()).isZero();
    }

    @Test
    void diceSumsAreReadForDiceAndBceDice() {
        BatchRecord dice = new RecordParser(BCE_DICE, 2)
                .parse(List.of(record(diceClass(), diceClass())))
                .get(0);
        JsonObject noCrossEntropy = diceClass();
        noCrossEntropy.remove("positiveLoss");
        noCrossEntropy.remove("negativeLoss");
        BatchRecord pure = new RecordParser(DICE, 2)
                .parse(List.of(record(noCrossEntropy, noCrossEntropy)))
                .get(0);

        assertThat(dice.classes().get(0).intersection()).isEqualTo(2.0);
        assertThat(dice.classes().get(0).positiveLoss()).isEqualTo(1.5);
        assertThat(pure.classes().get(0).truthSum()).isEqualTo(3.0);
        assertThat(pure.classes().get(0).positiveLoss()).isNaN();
    }

    static List<Arguments> badRecords() {
        return List.of(
                bad("records[1].step", "required", r -> r.remove("step")),
                bad("records[1].step", "must be an integer >= 1, got 0", r -> r.put("step", 0)),
                bad("records[1].step", "got 2.5", r -> r.put("step", 2.5)),
                bad("records[1].step", "got \"3\"", r -> r.put("step", "3")),
                bad("records[1].epoch", "must be an integer from 0 to 2147483647, got -1", r -> r.put("epoch", -1)),
                bad("records[1].split", "must be train or validation", r -> r.put("split", "test")),
                bad("records[1].images", "required", r -> r.remove("images")),
                bad("records[1].loss", "finite number or null", r -> r.put("loss", "high")),
                bad("records[1].lr", "unknown field", r -> r.put("lr", 0.1)),
                bad(
                        "records[1].classes",
                        "one entry per class of the run (2), got 1",
                        r -> r.getJsonArray("classes").remove(1)),
                bad("records[1].classes", "got none", r -> r.remove("classes")),
                bad(
                        "records[1].classes[1]",
                        "must be a JSON object",
                        r -> r.getJsonArray("classes").set(1, 7)),
                bad("records[1].classes[0].tp", "must be a non-negative integer", c(c -> c.put("tp", -1))),
                bad("records[1].classes[0].tn", "required", c(c -> c.remove("tn"))),
                bad("records[1].classes[0].positiveLoss", "finite number >= 0", c(c -> c.put("positiveLoss", -0.5))),
                bad("records[1].classes[0].negativeLoss", "required", c(c -> c.remove("negativeLoss"))),
                bad(
                        "records[1].classes[0].fn",
                        "tp + fn (2 + 2) must equal positives (3)",
                        c(c -> c.put("fn", 2).put("tn", 3))),
                bad("records[1].classes[0].tn", "must equal elements (8)", c(c -> c.put("tn", 5))),
                bad("records[1].classes[0].positives", "must not exceed elements", c(c -> c.put("positives", 9))),
                bad(
                        "records[1].classes[0].elements",
                        "multiple of images (2)",
                        c(c -> c.put("elements", 9).put("tn", 5))),
                bad(
                        "records[1].classes[1].elements",
                        "must equal classes[0].elements (8)",
                        r -> r.getJsonArray("classes")
                                .getJsonObject(1)
                                .put("elements", 10)
                                .put("tn", 6)),
                bad(
                        "records[1].classes[0].positiveLoss",
                        "must be 0 when positives is 0",
                        c(c -> c.put("positives", 0).put("tp", 0).put("fn", 0).put("tn", 7))),
                bad("records[1].classes[0].intersection", "unknown field", c(c -> c.put("intersection", 1))));
    }

    private static Consumer<JsonObject> c(Consumer<JsonObject> change) {
        return r -> change.accept(r.getJsonArray("classes").getJsonObject(0));
    }

    private static Arguments bad(String field, String message, Consumer<JsonObject> change) {
        return Arguments.of(field, message, change);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badRecords")
    void aBadRecordIsRefusedNamingItsField(String field, String message, Consumer<JsonObject> change) {
        JsonObject bad = good();
        change.accept(bad);

        assertThatThrownBy(() -> new RecordParser(BCE, 2).parse(List.of(good(), bad)))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo(field);
                })
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void diceRecordsNeedTheirSumsAndConsistentOnes() {
        JsonObject missing = diceClass();
        missing.remove("truthSum");
        JsonObject tooLarge = diceClass().put("intersection", 3.5);

        assertThatThrownBy(() -> new RecordParser(BCE_DICE, 2).parse(List.of(record(diceClass(), missing))))
                .hasMessage("records[0].classes[1].truthSum: required: a finite number >= 0.0");
        assertThatThrownBy(() -> new RecordParser(BCE_DICE, 2).parse(List.of(record(tooLarge, diceClass()))))
                .hasMessageStartingWith("records[0].classes[0].intersection: must not exceed predictionSum (3.0)");
        assertThatThrownBy(() -> new RecordParser(DICE, 2).parse(List.of(record(diceClass(), diceClass()))))
                .hasMessageStartingWith("records[0].classes[0].negativeLoss: unknown field");
    }
}
