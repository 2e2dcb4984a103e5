package io.lossprism.metrics;

import static io.lossprism.metrics.Reports.cls;
import static io.lossprism.metrics.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LossMetricsTest {

    private static final Smoothing HALF = new Smoothing(Smoothing.Method.EMA, 0.5, 50);

    private SimpleMeterRegistry registry;
    private LossMetrics metrics;

    @BeforeEach
    void bind() {
        registry = new SimpleMeterRegistry();
        metrics = new LossMetrics(HALF);
        metrics.bindTo(registry);
    }

    private static ClassReport disc(double loss, double iou) {
        return cls(0, "disc", loss, loss / 2, 0.5, 0.25, 200, 10, 50, iou, 0.9);
    }

    private static ClassReport speck(double loss, double iou) {
        return cls(1, "speck", loss, loss / 4, 2.0, 0.0625, 10, 10, 50, iou, 0.2);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    /** The (class, split) pairs of a per-class meter's rows. */
    private Set<String> rows(String name) {
        return registry.find(name).gauges().stream()
                .map(Meter::getId)
                .map(id -> id.getTag("class") + "/" + id.getTag("split"))
                .collect(Collectors.toSet());
    }

    @Test
    void beforeAnyReportOrStatusThereAreNoSeries() {
        assertThat(registry.find("lossprism.loss").gauges()).isEmpty();
        assertThat(registry.find("lossprism.class.loss").gauges()).isEmpty();
        assertThat(registry.find("lossprism.class.iou.smoothed").gauges()).isEmpty();
        assertThat(registry.find("lossprism.train.epoch").gauges()).isEmpty();
        assertThat(registry.find("lossprism.train.iterations").counters()).isEmpty();
    }

    @Test
    void everySeriesCarriesItsRunAndTwoRunsKeepTheirOwnValues() {
        metrics.onStatus(new TrainingStatus("run-1", TrainingStatus.State.TRAINING, 1, 20, 5, 30, 12.5, "", 0));
        metrics.onBatch(report("run-1", "train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onStatus(new TrainingStatus("ext-1", TrainingStatus.State.PAUSED, 0, 0, 1, 0, 0, "", 0));
        metrics.onBatch(report("ext-1", "train", 1, cls(0, "road", 2.0, 1.0, 0.5, 0.25, 200, 10, 50, 0.5, 0.9)));

        assertThat(registry.getMeters())
                .as("every LossPrism series names its run")
                .allSatisfy(m -> assertThat(m.getId().getTag("run")).isIn("run-1", "ext-1"));
        assertThat(gauge("lossprism.loss", "run", "run-1", "split", "train")).isEqualTo(0.75);
        assertThat(gauge("lossprism.loss", "run", "ext-1", "split", "train")).isEqualTo(2.0);
        assertThat(gauge("lossprism.class.loss", "run", "ext-1", "class", "road", "split", "train"))
                .isEqualTo(2.0);
        assertThat(registry.find("lossprism.class.loss").tag("run", "ext-1").gauges())
                .hasSize(1);
        assertThat(gauge("lossprism.train.running", "run", "run-1")).isEqualTo(1);
        assertThat(gauge("lossprism.train.paused", "run", "ext-1")).isEqualTo(1);
        assertThat(registry.get("lossprism.train.iterations")
                        .tag("run", "ext-1")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void removingARunRemovesEveryOneOfItsSeriesAndNoOtherRunsOnes() {
        metrics.onStatus(new TrainingStatus("run-1", TrainingStatus.State.TRAINING, 1, 20, 5, 30, 12.5, "", 0));
        metrics.onBatch(report("run-1", "train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onStatus(new TrainingStatus("ext-1", TrainingStatus.State.FINISHED, 0, 0, 1, 0, 0, "", 0));
        metrics.onBatch(report("ext-1", "train", 1, cls(0, "road", 2.0, 1.0, 0.5, 0.25, 200, 10, 50, 0.5, 0.9)));
        metrics.onBatch(report("ext-1", "validation", 1, cls(0, "road", 2.0, 1.0, 0.5, 0.25, 200, 10, 50, 0.5, 0.9)));
        int before = registry.getMeters().size();

        metrics.removeRun("ext-1");

        assertThat(registry.getMeters())
                .as("run-1's series only")
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("run")).isEqualTo("run-1"));
        assertThat(registry.getMeters().size()).isLessThan(before);
        assertThat(metrics.runs()).containsExactly("run-1");
        assertThat(gauge("lossprism.loss", "run", "run-1", "split", "train")).isEqualTo(0.75);
    }

    @Test
    void aReportGivesOneRowPerClassOfItsSplitReadingThatReport() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));

        assertThat(rows("lossprism.class.loss")).containsExactlyInAnyOrder("disc/train", "speck/train");
        assertThat(gauge("lossprism.class.loss", "class", "disc", "split", "train"))
                .isEqualTo(0.5);
        assertThat(gauge("lossprism.class.loss", "class", "speck", "split", "train"))
                .isEqualTo(0.25);
        assertThat(gauge("lossprism.class.positive.loss", "class", "speck", "split", "train"))
                .isEqualTo(0.0625);
        assertThat(gauge("lossprism.class.iou", "class", "disc", "split", "train"))
                .isEqualTo(0.75);
        assertThat(gauge("lossprism.class.dice", "class", "speck", "split", "train"))
                .isEqualTo(0.2);
        assertThat(gauge("lossprism.class.prevalence", "class", "speck", "split", "train"))
                .isEqualTo(0.0625);
        assertThat(gauge("lossprism.loss", "split", "train")).isEqualTo(0.75);
        assertThat(gauge("lossprism.reported.loss", "split", "train")).isEqualTo(0.751);
        assertThat(registry.find("lossprism.loss").tag("split", "validation").gauge())
                .isNull();
    }

    @Test
    void theClassTermsOfASplitAddUpToItsLoss() {
        metrics.onBatch(report("train", 1, disc(0.375, 0.75), speck(0.125, 0.1)));

        double sum = registry.find("lossprism.class.loss").tag("split", "train").gauges().stream()
                .mapToDouble(Gauge::value)
                .sum();
        assertThat(sum).isEqualTo(gauge("lossprism.loss", "split", "train"));
    }

    @Test
    void gaugesReadTheLatestReportOfEachSplit() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onBatch(report("validation", 1, disc(1.0, 0.5), speck(0.5, 0.25)));
        metrics.onBatch(report("train", 2, disc(0.25, 0.875), speck(0.5, 0.5)));

        assertThat(rows("lossprism.class.iou"))
                .containsExactlyInAnyOrder("disc/train", "speck/train", "disc/validation", "speck/validation");
        assertThat(gauge("lossprism.class.iou", "class", "speck", "split", "train"))
                .isEqualTo(0.5);
        assertThat(gauge("lossprism.class.iou", "class", "speck", "split", "validation"))
                .isEqualTo(0.25);
        assertThat(gauge("lossprism.loss", "split", "validation")).isEqualTo(1.5);
    }

    @Test
    void smoothedSeriesFollowTheGivenEmaWeightAndSkipUndefinedValues() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, Double.NaN)));
        metrics.onBatch(report("train", 2, disc(0.25, 0.25), speck(0.75, 0.5)));

        // disc: 0.75 then 0.5 * 0.25 + 0.5 * 0.75; speck: the NaN is skipped, so 0.5 is the first value
        assertThat(gauge("lossprism.class.iou.smoothed", "class", "disc", "split", "train"))
                .isEqualTo(0.5);
        assertThat(gauge("lossprism.class.iou.smoothed", "class", "speck", "split", "train"))
                .isEqualTo(0.5);
        // loss shares: speck 1/3 then 3/4
        assertThat(gauge("lossprism.class.loss.share.smoothed", "class", "speck", "split", "train"))
                .isCloseTo((1.0 / 3 + 0.75) / 2, within(1e-15));
        // every class has 60 of the 120 errors in both batches
        assertThat(gauge("lossprism.class.error.share.smoothed", "class", "disc", "split", "train"))
                .isEqualTo(0.5);
        // positive pixels: disc 250 at 0.5, speck 60 at 2.0, in both batches
        assertThat(gauge("lossprism.mean.positive.loss.smoothed", "split", "train"))
                .isCloseTo((250 * 0.5 + 60 * 2.0) / 310, within(1e-15));
    }

    @Test
    void theExportedSeriesAreAnEmaEvenWhenTheRulesAverageAWindow() {
        LossMetrics windowed = new LossMetrics(new Smoothing(Smoothing.Method.WINDOW, 0.5, 50));
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        windowed.bindTo(other);

        windowed.onBatch(report("train", 1, disc(0.5, 0.25), speck(0.5, 0.5)));
        windowed.onBatch(report("train", 2, disc(0.5, 0.75), speck(0.5, 0.5)));
        windowed.onBatch(report("train", 3, disc(0.5, 1.0), speck(0.5, 0.5)));

        // EMA of weight 0.5: 0.25 -> 0.5 -> 0.75; a window mean would give 2/3
        assertThat(other.get("lossprism.class.iou.smoothed")
                        .tags("class", "disc", "split", "train")
                        .gauge()
                        .value())
                .isEqualTo(0.75);
    }

    @Test
    void rowsFollowTheClassesTheReportsName() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onBatch(report("validation", 1, disc(0.5, 0.75), speck(0.25, 0.125)));

        ClassReport ring = cls(1, "ring", 0.125, 0.0625, 1.0, 0.1, 5, 5, 5, 0.3, 0.4);
        metrics.onBatch(report("train", 2, disc(0.25, 0.5), ring));

        assertThat(rows("lossprism.class.loss"))
                .containsExactlyInAnyOrder("disc/train", "ring/train", "disc/validation", "speck/validation");
        assertThat(rows("lossprism.class.iou.smoothed")).isEqualTo(rows("lossprism.class.loss"));
        assertThat(gauge("lossprism.class.loss", "class", "ring", "split", "train"))
                .isEqualTo(0.125);
        // new classes start new smoothed series: disc's smoothing of the old class list is not carried over
        assertThat(gauge("lossprism.class.iou.smoothed", "class", "disc", "split", "train"))
                .isEqualTo(0.5);
        assertThat(gauge("lossprism.loss", "split", "train")).isEqualTo(0.375);
    }

    @Test
    void rowsThatStayAreKeptNotReRegisteredSoNoScrapeMissesThem() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        Gauge discTrain = registry.get("lossprism.class.loss")
                .tags("class", "disc", "split", "train")
                .gauge();
        Gauge trainLoss = registry.get("lossprism.loss").tags("split", "train").gauge();

        metrics.onBatch(report("validation", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onBatch(report("train", 2, disc(0.125, 0.75), speck(0.25, 0.125)));

        assertThat(registry.get("lossprism.class.loss")
                        .tags("class", "disc", "split", "train")
                        .gauge())
                .isSameAs(discTrain);
        assertThat(registry.get("lossprism.loss").tags("split", "train").gauge())
                .isSameAs(trainLoss);
        assertThat(discTrain.value()).isEqualTo(0.125);
    }

    @Test
    void onlyTrainingBatchesCountAsIterations() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onBatch(report("validation", 1, disc(0.5, 0.75), speck(0.25, 0.125)));
        metrics.onBatch(report("train", 2, disc(0.5, 0.75), speck(0.25, 0.125)));

        assertThat(registry.get("lossprism.train.iterations").counter().count()).isEqualTo(2);
    }

    @Test
    void statusGaugesReadTheLatestStatus() {
        metrics.onStatus(new TrainingStatus("r", TrainingStatus.State.TRAINING, 3, 20, 90, 30, 12.5, "", 2));

        assertThat(gauge("lossprism.train.epoch")).isEqualTo(3);
        assertThat(gauge("lossprism.train.images.per.second")).isEqualTo(12.5);
        assertThat(gauge("lossprism.data.skipped.files")).isEqualTo(2);
        assertThat(gauge("lossprism.train.running")).isEqualTo(1);
        assertThat(gauge("lossprism.train.paused")).isZero();

        metrics.onStatus(new TrainingStatus("r", TrainingStatus.State.PAUSED, 3, 20, 90, 30, 0, "paused", 2));

        assertThat(gauge("lossprism.train.running")).isZero();
        assertThat(gauge("lossprism.train.paused")).isEqualTo(1);
    }

    @Test
    void meterUnitsAndDescriptionsAreSet() {
        metrics.onBatch(report("train", 1, disc(0.5, 0.75), speck(0.25, 0.125)));

        assertThat(registry.get("lossprism.class.iou").gauges()).allSatisfy(g -> {
            assertThat(g.getId().getBaseUnit()).isEqualTo("ratio");
            assertThat(g.getId().getDescription()).isNotBlank();
        });
        assertThat(registry.get("lossprism.class.loss").gauges())
                .allSatisfy(g -> assertThat(g.getId().getBaseUnit()).isNull());
    }

    @Test
    void aReportBeforeBindingIsRefused() {
        LossMetrics unbound = new LossMetrics(HALF);
        BatchReport report = report("train", 1, disc(0.5, 0.75));

        assertThatThrownBy(() -> unbound.onBatch(report))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bind");
    }
}
