package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.ReportJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small batch reports whose numbers a test chooses (the loss and the last class's IoU), and an alert. */
final class TestReports {

    /** The run of every report and alert here. */
    static final String RUN_ID = "run-1";

    static final List<String> CLASSES = List.of("disc", "bar", "box", "ring", "speck");

    private TestReports() {}

    /** Five classes sharing {@code loss} equally; every class has IoU 0.9 except the last, {@code rareIou}. */
    static BatchReport batch(String split, long iteration, double loss, double rareIou) {
        List<ClassReport> classes = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            double term = loss / CLASSES.size();
            double iou = c == CLASSES.size() - 1 ? rareIou : 0.9;
            classes.add(new ClassReport(
                    c,
                    CLASSES.get(c),
                    term,
                    0.25 * term,
                    0.75 * term,
                    2.0,
                    0.01,
                    0.1,
                    900,
                    50,
                    50,
                    9000,
                    iou,
                    2 * iou / (1 + iou),
                    0.95,
                    0.95));
        }
        return new BatchReport(
                RUN_ID,
                BatchReport.VERSION,
                split,
                0,
                iteration,
                1_700_000_000_000L + iteration,
                16,
                "dl4j",
                loss,
                loss,
                loss / 1000,
                50,
                classes);
    }

    static BatchReport batch(String split, long iteration) {
        return batch(split, iteration, 1.0 / iteration, 0.5);
    }

    /** The rare class's IoU lag alert going from pending to firing at an iteration. */
    static AlertEvent alert(long iteration) {
        return new AlertEvent(
                RUN_ID,
                AlertEvent.VERSION,
                "LossPrismClassIouLagging",
                "speck",
                "warning",
                "train",
                "pending",
                "firing",
                iteration,
                1_700_000_000_000L,
                0.6,
                0.3,
                Map.of("lag", 0.6),
                "speck lags",
                batch("train", iteration));
    }

    static String json(BatchReport report) {
        return ReportJson.batch(report).encode();
    }
}
