package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static ClassReport cls(int index, String name, double loss, double iou) {
        return new ClassReport(
                index, name, loss, loss / 2, loss / 2, 1, 0.01, 0.1, 10, 1, 1, 100, iou, 2 * iou / (1 + iou), 0.9, 0.9);
    }

    @Test
    void namesTheEpochOneBasedTheLossAndTheWorstDefinedIou() {
        // residual = reported 0.3 - decomposed (0.1 + 0.2)
        BatchReport report = new BatchReport(
                "run-1",
                BatchReport.VERSION,
                "train",
                1,
                16,
                0L,
                16,
                "dl4j",
                0.3,
                0.3001,
                0.00012345,
                12.345,
                List.of(cls(0, "disc", 0.1, 0.9), cls(1, "speck", 0.2, 0.25), cls(2, "ring", 0, Double.NaN)));
        String line = ProgressLine.of(report, 20, true);
        assertThat(line)
                .startsWith("epoch done epoch=2/20 iteration=16 loss=" + String.format("%.4g", 0.3))
                .contains("perElement=" + String.format("%.4g", 0.00012345))
                .contains("residual=" + String.format("%.2e", report.residual()))
                .contains("worstIou=speck:" + String.format("%.4g", 0.25))
                .endsWith("imagesPerSecond=" + String.format("%.1f", 12.345));
        assertThat(ProgressLine.of(report, 20, false)).startsWith("progress epoch=2/20");
    }

    @Test
    void noDefinedIouIsSaidSo() {
        BatchReport report = new BatchReport(
                "run-1",
                BatchReport.VERSION,
                "train",
                0,
                1,
                0L,
                16,
                "dl4j",
                0.1,
                0.1,
                0.001,
                1,
                List.of(cls(0, "disc", 0.1, Double.NaN)));
        assertThat(ProgressLine.of(report, 1, false)).contains("worstIou=n/a");
    }
}
