package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad file, with onBadFile fail (the error names it) and skip (it is left out and counted). */
class FolderBadFilesTest {

    private static final List<String> CLASSES = List.of("road", "car");
    private static final int SIDE = 8;
    private static final int MAX_PIXELS = 50_000_000;

    @TempDir
    Path dir;

    private DatasetFolder ds;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void twoGoodImages() {
        ds = new DatasetFolder(dir);
        for (String name : List.of("good1", "good2")) {
            ds.plain(name);
            ds.emptyBinary(name, CLASSES, SIDE, SIDE);
        }
        log = new ListAppender<>();
        log.start();
        logger().addAppender(log);
    }

    @AfterEach
    void detachLog() {
        logger().detachAppender(log);
    }

    /** A bad pair named "bad": how to make it, the file the error must name, and part of its reason. */
    record Case(String label, Consumer<DatasetFolder> make, String file, String reason) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case(
                                "random bytes named .png",
                                ds -> {
                                    ds.bytes(ds.images.resolve("bad.png"), randomBytes(500));
                                    ds.emptyBinary("bad", CLASSES, SIDE, SIDE);
                                },
                                "images/bad.png",
                                "cannot decode"),
                        new Case(
                                "truncated PNG",
                                ds -> {
                                    ds.bytes(ds.images.resolve("bad.png"), truncatedPng());
                                    ds.emptyBinary("bad", CLASSES, 32, 32);
                                },
                                "images/bad.png",
                                "cannot decode"),
                        new Case("no mask", ds -> ds.plain("bad"), "images/bad.png", "no mask: expected a folder"),
                        new Case(
                                "binary mask of another size",
                                ds -> {
                                    ds.plain("bad");
                                    ds.binary("bad", "road", SIDE, SIDE, (x, y) -> false);
                                    ds.binary("bad", "car", 8, 4, (x, y) -> false);
                                },
                                "masks/bad/car.png",
                                "mask is 8x4 but image " + "IMAGES/bad.png is 8x8"),
                        new Case(
                                "index mask of another size",
                                ds -> {
                                    ds.plain("bad");
                                    ds.index("bad", 9, 8, (x, y) -> 0);
                                },
                                "masks/bad.png",
                                "mask is 9x8 but image IMAGES/bad.png is 8x8"),
                        new Case(
                                "binary folder without a class",
                                ds -> {
                                    ds.plain("bad");
                                    ds.binary("bad", "road", SIDE, SIDE, (x, y) -> false);
                                },
                                "masks/bad/car.png",
                                "missing; binary masks need one PNG per class of training.classes [road, car]"),
                        new Case(
                                "binary folder with an unknown class",
                                ds -> {
                                    ds.plain("bad");
                                    ds.emptyBinary("bad", List.of("road", "car", "bike"), SIDE, SIDE);
                                },
                                "masks/bad/bike.png",
                                "not the mask of a class"),
                        new Case(
                                "index value above the class count",
                                ds -> {
                                    ds.plain("bad");
                                    ds.index("bad", SIDE, SIDE, (x, y) -> x == 5 && y == 6 ? 3 : 1);
                                },
                                "masks/bad.png",
                                "value 3 at (5, 6) but there are only 2 classes"),
                        new Case(
                                "corrupt mask",
                                ds -> {
                                    ds.plain("bad");
                                    ds.bytes(ds.masks.resolve("bad.png"), randomBytes(300));
                                },
                                "masks/bad.png",
                                "cannot decode"),
                        new Case(
                                "colour index mask",
                                ds -> {
                                    ds.plain("bad");
                                    ds.write(
                                            new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB),
                                            ds.masks.resolve("bad.png"));
                                },
                                "masks/bad.png",
                                "must be greyscale or palette"),
                        new Case(
                                "image whose header declares 20000x20000 16-bit pixels",
                                ds -> {
                                    ds.bytes(ds.images.resolve("bad.png"), PngBomb.of(20_000, 20_000, 16, PngBomb.RGB));
                                    ds.emptyBinary("bad", CLASSES, SIDE, SIDE);
                                },
                                "images/bad.png",
                                "image is 20000x20000 (400000000 pixels, 16 bits per sample), more than"
                                        + " data.maxImagePixels (50000000); not decoded"),
                        new Case(
                                "mask whose header declares 20000x20000 16-bit pixels",
                                ds -> {
                                    ds.plain("bad");
                                    ds.bytes(ds.masks.resolve("bad.png"), PngBomb.of(20_000, 20_000, 16, 0));
                                },
                                "masks/bad.png",
                                "mask is 20000x20000 but image IMAGES/bad.png is 8x8"),
                        new Case(
                                "two images with one name",
                                ds -> {
                                    ds.rgb("bad.jpg", SIDE, SIDE, (x, y) -> 0);
                                    ds.plain("bad");
                                    ds.emptyBinary("bad", CLASSES, SIDE, SIDE);
                                },
                                "images/bad.png",
                                "same name as IMAGES/bad.jpg"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failStopsAtTheBadFileAndNamesIt(Case bad) {
        bad.make().accept(ds);
        Path file = dir.resolve(bad.file());
        assertThatThrownBy(() -> load(false))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(reason(bad))
                .hasMessageContaining("data.onBadFile")
                .extracting(e -> ((DatasetException) e).path())
                .isEqualTo(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void skipLeavesTheBadFileOutCountsItAndLogsItOnce(Case bad) {
        bad.make().accept(ds);
        Path file = dir.resolve(bad.file());
        FolderDataset data = load(true);
        assertThat(data.size(Split.TRAIN)).isEqualTo(bad.label().equals("two images with one name") ? 3 : 2);
        assertThat(data.skippedFiles()).isEqualTo(1);
        assertThat(data.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.path()).isEqualTo(file);
            assertThat(skipped.reason()).contains(reason(bad));
        });
        List<ILoggingEvent> warnings = warnings();
        assertThat(warnings).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage())
                    .contains(file.toString())
                    .contains(reason(bad))
                    .doesNotContain("\n");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void skippedFilesAreAllCountedButOnlyTheFirstHundredListed() {
        for (int i = 0; i < 105; i++) {
            ds.bytes(ds.images.resolve(String.format("junk%03d.png", i)), randomBytes(64));
        }
        FolderDataset data = load(true);
        assertThat(data.size(Split.TRAIN)).isEqualTo(2);
        assertThat(data.skippedFiles()).isEqualTo(105);
        assertThat(data.skipped()).hasSize(100);
        assertThat(data.skipped().get(0).path()).isEqualTo(ds.images.resolve("junk000.png"));
        assertThat(warnings()).hasSize(105);
        assertThat(data.describe()).endsWith(", 105 bad files skipped");
    }

    @Test
    void thePixelBudgetIsInclusive() {
        Path image = ds.images.resolve("good1.png"); // 8x8 = 64 pixels, as good2
        assertThat(FolderDataset.load(
                                dir,
                                CLASSES,
                                SIDE,
                                MaskCoding.AUTO,
                                Resize.STRETCH,
                                0.0,
                                false,
                                64,
                                ProgressListener.NONE)
                        .size(Split.TRAIN))
                .isEqualTo(2);
        assertThatThrownBy(() -> FolderDataset.load(
                        dir, CLASSES, SIDE, MaskCoding.AUTO, Resize.STRETCH, 0.0, false, 63, ProgressListener.NONE))
                .hasMessageStartingWith(image + ": image is 8x8 (64 pixels, 8 bits per sample), more than"
                        + " data.maxImagePixels (63)");
    }

    @Test
    void failReportsTheFirstBadFileInNameOrder() {
        for (String name : List.of("b", "a", "c")) {
            ds.bytes(ds.images.resolve(name + ".png"), randomBytes(64));
        }
        assertThatThrownBy(() -> load(false)).hasMessageStartingWith(ds.images.resolve("a.png") + ": ");
    }

    private FolderDataset load(boolean skip) {
        return FolderDataset.load(
                dir, CLASSES, SIDE, MaskCoding.AUTO, Resize.STRETCH, 0.0, skip, MAX_PIXELS, ProgressListener.NONE);
    }

    private String reason(Case bad) {
        return bad.reason().replace("IMAGES", ds.images.toString());
    }

    private List<ILoggingEvent> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static Logger logger() {
        return (Logger) org.slf4j.LoggerFactory.getLogger(FolderDataset.class);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** The first half of a valid 32x32 noise PNG: the signature and header are intact, the data ends early. */
    private static byte[] truncatedPng() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int p = 0; p < 32 * 32; p++) {
            image.setRGB(p % 32, p / 32, random.nextInt());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] png = out.toByteArray();
        return Arrays.copyOf(png, png.length / 2);
    }
}
