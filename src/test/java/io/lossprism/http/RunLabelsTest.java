package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.runs.RunException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RunLabelsTest {

    private static RunLabels parse(JsonObject body) {
        return RunLabels.parse(body.encode());
    }

    private static void refused(String body, String message) {
        assertThatThrownBy(() -> RunLabels.parse(body))
                .isInstanceOf(RunException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(400));
    }

    @Test
    void givenFieldsChangeLeftOutOnesStayAndNullClears() {
        assertThat(parse(new JsonObject().put("name", "  posWeight 4  ")))
                .isEqualTo(new RunLabels("posWeight 4", null));
        assertThat(parse(new JsonObject().put("notes", "line one\n\tline two\r\n")))
                .isEqualTo(new RunLabels(null, "line one\n\tline two\r\n"));
        assertThat(parse(new JsonObject().putNull("name").put("notes", ""))).isEqualTo(new RunLabels("", ""));
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        refused("{not json", "body: must be a JSON object");
        refused("[1]", "body: must be a JSON object");
        refused("{}", "body: give name, notes or both");
        refused("", "body: give name, notes or both");
        refused("{\"nmae\": \"x\"}", "nmae: unknown field");
        refused("{\"name\": 5}", "name: must be a string or null");
        refused(
                new JsonObject().put("name", "a".repeat(RunLabels.MAX_NAME + 1)).encode(),
                "name: at most 100 characters");
        refused(
                new JsonObject()
                        .put("notes", "a".repeat(RunLabels.MAX_NOTES + 1))
                        .encode(),
                "notes: at most 4000");
    }

    @Test
    void controlCharactersAreRefusedButNotesMayBreakLines() {
        refused(new JsonObject().put("name", "two\nlines").encode(), "name: control characters are not allowed");
        refused(new JsonObject().put("notes", "bell\u0007").encode(), "notes: control characters are not allowed");
        refused(new JsonObject().put("name", "abc\u202Etxt.exe").encode(), "name: control characters are not allowed");
        assertThatThrownBy(() -> RunLabels.parse(
                        new JsonObject().put("notes", "ok\u0000").encode()))
                .hasMessageContaining("U+0000 at character 2");
        // a long name counts characters, not UTF-16 units: 100 emoji fit
        assertThat(parse(new JsonObject().put("name", "\uD83D\uDE00".repeat(100)))
                        .name())
                .hasSize(200);
    }
}
