package io.lossprism.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.probes.ClassOverlay;
import io.lossprism.probes.OverlayPainter;
import io.lossprism.probes.ProbePrediction;
import io.lossprism.probes.ProbeSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportJsonSamplesTest {

    private static final String PNG_URL = "data:image/png;base64,";

    private final OverlayPainter painter = new OverlayPainter(2, 0.5);
    private final byte[] image = painter.image(new float[12], 0);
    private final ClassOverlay disc =
            painter.overlay("disc", new float[] {1, 1, 0, 0}, 0, new float[] {0.9f, 0.1f, 0.8f, 0}, 0);
    private final ClassOverlay speck = painter.overlay("speck", new float[4], 0, new float[4], 0);
    private final ProbeSet set =
            new ProbeSet("run-1", 300, "validation", 0.5, List.of(new ProbePrediction(7, image, List.of(disc, speck))));

    @Test
    void carriesTheProtocolFields() {
        JsonObject json = ReportJson.samples(set);
        assertThat(json.fieldNames())
                .containsExactlyInAnyOrder("type", "run", "iteration", "split", "threshold", "colours", "images");
        assertThat(json.getString("type")).isEqualTo("samples");
        assertThat(json.getString("run")).isEqualTo("run-1");
        assertThat(json.getLong("iteration")).isEqualTo(300L);
        assertThat(json.getString("split")).isEqualTo("validation");
        assertThat(json.getDouble("threshold")).isEqualTo(0.5);
        assertThat(json.getJsonObject("colours").getMap())
                .containsExactlyInAnyOrderEntriesOf(
                        java.util.Map.of("tp", "#009e73", "fp", "#e69f00", "fn", "#cc79a7"));
    }

    @Test
    void imagesAndOverlaysArePngDataUrlsOfTheRecordedBytes() {
        JsonObject probe = ReportJson.samples(set).getJsonArray("images").getJsonObject(0);
        assertThat(probe.fieldNames()).containsExactlyInAnyOrder("index", "image", "classes");
        assertThat(probe.getInteger("index")).isEqualTo(7);
        assertThat(decodeUrl(probe.getString("image"))).isEqualTo(image);

        JsonObject first = probe.getJsonArray("classes").getJsonObject(0);
        assertThat(first.fieldNames()).containsExactlyInAnyOrder("name", "overlay", "tp", "fp", "fn", "iou");
        assertThat(first.getString("name")).isEqualTo("disc");
        assertThat(decodeUrl(first.getString("overlay"))).isEqualTo(disc.overlayPng());
        assertThat(first.getLong("tp")).isEqualTo(1L);
        assertThat(first.getLong("fp")).isEqualTo(1L);
        assertThat(first.getLong("fn")).isEqualTo(1L);
        assertThat(first.getDouble("iou")).isEqualTo(1.0 / 3);
    }

    @Test
    void undefinedIouIsNullNotZero() {
        JsonArray classes =
                ReportJson.samples(set).getJsonArray("images").getJsonObject(0).getJsonArray("classes");
        JsonObject absent = classes.getJsonObject(1);
        assertThat(absent.getString("name")).isEqualTo("speck");
        assertThat(absent.containsKey("iou")).isTrue();
        assertThat(absent.getValue("iou")).isNull();
        assertThat(absent.encode()).contains("\"iou\":null");
    }

    private static byte[] decodeUrl(String url) {
        assertThat(url).startsWith(PNG_URL);
        return Base64.getDecoder().decode(url.substring(PNG_URL.length()));
    }
}
