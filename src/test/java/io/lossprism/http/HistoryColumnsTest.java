package io.lossprism.http;

import static io.lossprism.http.TestReports.batch;
import static io.lossprism.http.TestReports.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryColumnsTest {

    @Test
    void numbersKeepFiveSignificantDigitsAndUndefinedIsNull() {
        Random random = new Random(16);
        for (int n = 0; n < 20_000; n++) {
            double value =
                    (random.nextBoolean() ? -1 : 1) * random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            String text = text(value);
            double back = Double.parseDouble(text);
            assertThat(back).as(text).isCloseTo(value, within(Math.abs(value) * 5.001e-5));
            assertThat(text.replaceAll("e.*|[-.]", "").replaceAll("^0+|0+$", "").length())
                    .as(text)
                    .isLessThanOrEqualTo(ChartNumbers.DIGITS);
        }
        assertThat(text(0)).isEqualTo("0");
        assertThat(text(1)).isEqualTo("1");
        assertThat(text(0.1)).isEqualTo("0.1");
        assertThat(text(99999.5)).isEqualTo("100000");
        assertThat(text(0.000123456)).isEqualTo("0.00012346");
        assertThat(text(1234567)).isEqualTo("1234600");
        assertThat(text(-2.5e-9)).isEqualTo("-2.5e-9");
        assertThat(text(Double.NaN)).isEqualTo("null");
        assertThat(text(Double.NEGATIVE_INFINITY)).isEqualTo("null");
    }

    @Test
    void columnsHoldEveryReportsChartNumbersAndTheLastReportWhole() {
        ReportHistory history = new ReportHistory();
        for (long i = 1; i <= 30; i++) {
            BatchReport report = batch("train", i, 0.1 + i / 7.0, i == 20 ? Double.NaN : 0.5);
            history.add(report, json(report));
        }
        HistorySlice slice = history.since("train", 10, 2000);
        JsonObject message = new JsonObject(HistoryColumns.encode(slice));
        assertThat(message.getString("format")).isEqualTo("columns");
        assertThat(message.getInteger("total")).isEqualTo(20);
        assertThat(message.getJsonArray("iteration").getLong(0)).isEqualTo(11);
        assertThat(message.getJsonObject("last"))
                .isEqualTo(new JsonObject(slice.reports().get(19)));

        List<String> names =
                message.getJsonArray("classes").stream().map(String::valueOf).toList();
        JsonObject perClass = message.getJsonObject("perClass");
        for (int i = 0; i < 20; i++) {
            JsonObject report = new JsonObject(slice.reports().get(i));
            assertThat(message.getJsonArray("iteration").getLong(i)).isEqualTo(report.getLong("iteration"));
            assertThat(message.getJsonArray("epoch").getValue(i)).isEqualTo(report.getInteger("epoch"));
            close(message.getJsonArray("loss"), i, report.getValue("loss"));
            close(message.getJsonArray("meanElementLoss"), i, report.getValue("meanElementLoss"));
            for (String metric : List.of("iou", "dice")) {
                for (String average : List.of("micro", "macro", "frequencyWeighted")) {
                    close(
                            message.getJsonObject(metric).getJsonArray(average),
                            i,
                            report.getJsonObject(metric).getValue(average));
                }
            }
            JsonArray classes = report.getJsonArray("classes");
            assertThat(names).hasSize(classes.size());
            for (int c = 0; c < classes.size(); c++) {
                JsonObject cls = classes.getJsonObject(c);
                int index = cls.getInteger("index");
                assertThat(names.get(index)).isEqualTo(cls.getString("name"));
                for (String field : List.of("loss", "positiveLoss", "negativeLoss", "iou", "dice")) {
                    close(perClass.getJsonArray(field).getJsonArray(index), i, cls.getValue(field));
                }
            }
        }
    }

    @Test
    void anEmptySliceHasEmptyColumnsAndNoLastReport() {
        JsonObject message = new JsonObject(HistoryColumns.encode(new ReportHistory().since("validation", 4, 2000)));
        assertThat(message.getString("split")).isEqualTo("validation");
        assertThat(message.getLong("after")).isEqualTo(4);
        assertThat(message.getJsonArray("iteration")).isEmpty();
        assertThat(message.getJsonArray("classes")).isEmpty();
        assertThat(message.containsKey("last")).isFalse();
    }

    @Test
    void aLongRunsHistoryIsAFractionOfItsReports() {
        ReportHistory history = new ReportHistory();
        for (long i = 1; i <= 2500; i++) {
            BatchReport report = batch("train", i, 0.3 + Math.sin(i) / 10, 0.4 + Math.cos(i) / 10);
            history.add(report, ReportJson.batch(report), json(report));
        }
        HistorySlice slice = history.since("train", 0, LiveFeed.HISTORY_POINTS);
        long reports = slice.reports().stream().mapToLong(String::length).sum();
        assertThat((long) HistoryColumns.encode(slice).length()).isLessThan(reports / 4);
    }

    private static void close(JsonArray column, int i, Object expected) {
        Object value = column.getValue(i);
        if (expected == null) {
            assertThat(value).isNull();
        } else {
            double e = ((Number) expected).doubleValue();
            assertThat(((Number) value).doubleValue()).isCloseTo(e, within(Math.abs(e) * 5.001e-5));
        }
    }

    private static String text(double value) {
        StringBuilder out = new StringBuilder();
        ChartNumbers.append(out, value);
        return out.toString();
    }
}
