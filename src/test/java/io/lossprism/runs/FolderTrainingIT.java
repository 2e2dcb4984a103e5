package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server trains on a folder of real PNG files, skips a corrupt one and says so in status and metrics. */
class FolderTrainingIT {

    private static final int SIZE = 32;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    @Test
    void trainsOnAFolderAndCountsTheBadFileItSkipped() throws Exception {
        Files.createDirectories(folder.resolve("images"));
        for (int i = 0; i < 12; i++) {
            writeExample("img" + i, i);
        }
        Files.write(folder.resolve("images").resolve("broken.png"), new byte[] {1, 2, 3, 4, 5});

        LossPrismApp app = TestApps.start(
                "data.source=folder",
                "data.folder=" + folder,
                "training.classes=[square,stripe]",
                "training.imageSize=32",
                "training.batchSize=2",
                "training.epochs=1000",
                "data.onBadFile=skip",
                "data.validationFraction=0.2");
        try {
            JsonObject status = awaitIteration(app, 3);
            assertThat(status.getInteger("skippedFiles")).isEqualTo(1);
            assertThat(status.getString("state")).isEqualTo("training");
            String metrics = get(app, "/metrics");
            String run = "run=\"" + status.getString("runId") + "\"";
            assertThat(metrics).contains("lossprism_data_skipped_files{" + run + "} 1.0");
            assertThat(metrics).contains("lossprism_class_loss{class=\"stripe\"," + run + ",split=\"train\"}");
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** An image with a bright square (class square) and a horizontal stripe (class stripe), binary masks. */
    private void writeExample(String name, int seed) throws Exception {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        BufferedImage square = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage stripe = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        int x0 = 2 + seed % 12;
        int y0 = 2 + (seed * 7) % 12;
        int row = (seed * 5) % SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean inSquare = x >= x0 && x < x0 + 8 && y >= y0 && y < y0 + 8;
                boolean inStripe = y == row;
                int rgb = inSquare ? 0xE0_40_40 : inStripe ? 0x40_E0_40 : 0x60_60_60;
                image.setRGB(x, y, rgb);
                square.getRaster().setSample(x, y, 0, inSquare ? 255 : 0);
                stripe.getRaster().setSample(x, y, 0, inStripe ? 255 : 0);
            }
        }
        ImageIO.write(
                image, "png", folder.resolve("images").resolve(name + ".png").toFile());
        Path masks = Files.createDirectories(folder.resolve("masks").resolve(name));
        ImageIO.write(square, "png", masks.resolve("square.png").toFile());
        ImageIO.write(stripe, "png", masks.resolve("stripe.png").toFile());
    }

    private static JsonObject awaitIteration(LossPrismApp app, long iteration) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonObject status = null;
        while (System.nanoTime() < deadline) {
            status = new JsonObject(get(app, "/api/status"));
            if (status.getLong("iteration") >= iteration) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no iteration " + iteration + " within 2 minutes; status " + status);
    }

    private static String get(LossPrismApp app, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
