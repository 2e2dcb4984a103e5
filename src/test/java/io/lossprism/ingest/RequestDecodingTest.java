package io.lossprism.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Bodies (JSON, NDJSON, gzip and its bound) and run declarations, and the per-run rate. */
class RequestDecodingTest {

    private final BodyDecoder decoder = new BodyDecoder(4096, 3);

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJsonArrayAndNdjsonGiveTheSameRecords() throws IOException {
        List<Object> array = decoder.decode(utf8("[{\"step\":1},{\"step\":2}]"), "application/json", null);
        List<Object> lines =
                decoder.decode(utf8("{\"step\":1}\n\n{\"step\":2}\n"), "application/x-ndjson; charset=utf-8", null);
        List<Object> zipped = decoder.decode(gzip(utf8("{\"step\":1}\n{\"step\":2}")), "application/x-ndjson", "gzip");

        assertThat(array).hasSize(2);
        assertThat(lines).isEqualTo(array);
        assertThat(zipped).isEqualTo(array);
        assertThat(((JsonObject) array.get(1)).getInteger("step")).isEqualTo(2);
    }

    @Test
    void aGzipBombIsRefusedAtTheDecompressedBound() throws IOException {
        byte[] bomb = gzip(new byte[1 << 20]); // 1 MiB of zeros, about 1 KB compressed

        assertThat(bomb.length).isLessThan(4096);
        assertThatThrownBy(() -> decoder.decode(bomb, "application/json", "gzip"))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessage("body: decompresses to more than 4096 bytes (ingest.maxDecompressedBytes)");
    }

    @Test
    void badBodiesAreRefusedByName() {
        assertThatThrownBy(() -> decoder.decode(utf8("[{\"step\":1}"), null, null))
                .hasMessageStartingWith("body: not valid JSON at line 1");
        assertThatThrownBy(() -> decoder.decode(utf8("{\"step\":1}"), "application/json", null))
                .hasMessageStartingWith("body: must be a JSON array");
        assertThatThrownBy(() -> decoder.decode(utf8("{\"step\":1}\n{oops"), "application/x-ndjson", null))
                .hasMessageStartingWith("records[1]: not valid JSON");
        assertThatThrownBy(() -> decoder.decode(utf8("[1,2,3,4]"), null, null))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessage("records: at most 3 records per request (ingest.maxRecordsPerRequest), got 4");
        assertThatThrownBy(() -> decoder.decode(utf8("[]"), null, null))
                .hasMessage("records: at least one batch record is needed");
        assertThatThrownBy(() -> decoder.decode(utf8("[]"), null, "br"))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> decoder.decode(utf8("not gzip"), null, "gzip"))
                .hasMessageStartingWith("body: not valid gzip");
        assertThatThrownBy(() -> decoder.decode(new byte[] {'[', (byte) 0xff, ']'}, null, null))
                .hasMessage("body: not valid UTF-8");
    }

    @Test
    void aRunDeclarationFillsInDefaultsAndRefusesBadFields() {
        ExternalRunSpec spec = ExternalRunSpec.parse(
                new JsonObject("{\"name\":\"unet\",\"classes\":[\"road\",\"car\"],\"loss\":\"focal\","
                        + "\"convention\":\"pytorch\",\"framework\":\"torch 2.5\",\"posWeight\":[1,3]}"),
                64);

        assertThat(spec.classes()).containsExactly("road", "car");
        assertThat(spec.loss().spec().gamma()).isEqualTo(2);
        assertThat(spec.loss().spec().alpha()).isEqualTo(0.25);
        assertThat(spec.loss().spec().posWeights()).containsExactly(1, 3);
        assertThat(spec.meta().getString("convention")).isEqualTo("torch");
        assertThat(ExternalRunSpec.fromMeta(spec.meta()).meta()).isEqualTo(spec.meta());
        ExternalRunSpec bceDice = ExternalRunSpec.parse(
                new JsonObject("{\"name\":\"n\",\"classes\":[\"a\"],\"loss\":\"bce_dice\",\"convention\":\"keras\","
                        + "\"bceDiceWeights\":[0.5,2],\"alpha\":null}"),
                64);
        assertThat(bceDice.loss().diceWeight()).isEqualTo(2);
        assertThat(ExternalRunSpec.fromMeta(bceDice.meta()).meta()).isEqualTo(bceDice.meta());

        String base = "\"name\":\"n\",\"classes\":[\"a\"],\"convention\":\"keras\"";
        assertThatThrownBy(() -> ExternalRunSpec.parse(new JsonObject("{" + base + "}"), 64))
                .hasMessageStartingWith("loss: required");
        assertThatThrownBy(() -> ExternalRunSpec.parse(new JsonObject("{" + base + ",\"loss\":\"hinge\"}"), 64))
                .hasMessageStartingWith("loss: unknown loss 'hinge'");
        assertThatThrownBy(() -> ExternalRunSpec.parse(
                        new JsonObject("{" + base + ",\"loss\":\"bce\",\"classWeights\":[1,2]}"), 64))
                .hasMessage("classWeights: at most 1 items, got 2");
        assertThatThrownBy(
                        () -> ExternalRunSpec.parse(new JsonObject("{" + base + ",\"loss\":\"bce\",\"gama\":2}"), 64))
                .hasMessageStartingWith("gama: unknown field");
        assertThatThrownBy(() -> ExternalRunSpec.parse(
                        new JsonObject(
                                "{\"name\":\"n\",\"classes\":[\"a\",\"b\"],\"loss\":\"bce\",\"convention\":\"keras\"}"),
                        1))
                .hasMessage("classes: at most 1 items, got 2");
        assertThatThrownBy(() -> ExternalRunSpec.parse(
                        new JsonObject(
                                "{\"name\":\"n\",\"classes\":[\"a\",\"a\"],\"loss\":\"bce\",\"convention\":\"keras\"}"),
                        8))
                .hasMessage("classes[1]: duplicate class name \"a\"");
    }

    @Test
    void theRateIsPerKeyWithBurstsOfTwiceItAndSaysHowLongToWait() {
        AtomicLong now = new AtomicLong();
        RunRateLimiter limiter = new RunRateLimiter(2, 100, now::get);

        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("run-a 127.0.0.1")).isZero();
        }
        assertThat(limiter.acquire("run-a 127.0.0.1")).isEqualTo(1);
        assertThat(limiter.acquire("run-b 127.0.0.1")).isZero();
        now.addAndGet(500_000_000L);
        assertThat(limiter.acquire("run-a 127.0.0.1")).isZero();
    }
}
