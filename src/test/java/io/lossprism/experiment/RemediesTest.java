package io.lossprism.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Dataset;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remedies' parameters come from the training data's class balance, as a practitioner derives them. */
class RemediesTest {

    /** 5 images of 2x2 pixels, 3 classes: class 0 on 2 pixels each, class 1 on 1, class 2 on image 0's pixel 0. */
    private static final class TinyDataset implements Dataset {
        @Override
        public int imageSize() {
            return 2;
        }

        @Override
        public int classes() {
            return 3;
        }

        @Override
        public int size(Split split) {
            return split == Split.TRAIN ? 5 : 0;
        }

        @Override
        public void fill(Split split, int[] indices, SegmentationBatch batch) {
            java.util.Arrays.fill(batch.masks(), 0);
            for (int i = 0; i < indices.length; i++) {
                int base = i * 3 * 4;
                batch.masks()[base] = 1;
                batch.masks()[base + 1] = 1;
                batch.masks()[base + 4] = 1;
                batch.masks()[base + 8] = indices[i] == 0 ? 1 : 0;
            }
        }

        @Override
        public String describe() {
            return "tiny";
        }
    }

    @Test
    void classBalanceCountsEveryTrainingImageOnce() {
        ClassBalance balance = ClassBalance.of(new TinyDataset(), 2); // batches of 2, 2, and 1

        assertThat(balance.positives()).containsExactly(10, 5, 1);
        assertThat(balance.pixels()).isEqualTo(20);
        assertThat(balance.rarest()).isEqualTo(2);
        assertThat(balance.negativeToPositive()).containsExactly(1.0, 3.0, 19.0);
        assertThat(balance.medianFrequencyWeights()).containsExactly(0.5, 1.0, 5.0);
    }

    @Test
    void practitionersRemediesAreValidConfigurations() {
        ClassBalance balance = ClassBalance.of(new TinyDataset(), 5);
        List<Remedy> remedies = Remedy.practitioners(balance);

        assertThat(remedies).extracting(Remedy::label).first().isEqualTo("bce");
        assertThat(remedies.get(2).overrides()).containsExactly("training.posWeight=[1, 3, 19]");
        assertThat(remedies.get(1).overrides()).containsExactly("training.classWeights=[0.5, 1, 5]");
        for (Remedy remedy : remedies) {
            List<String> overrides = new ArrayList<>(List.of("training.classes=[a, b, c]"));
            overrides.addAll(remedy.overrides());
            assertThat(ConfigLoader.load(null, overrides).training().loss())
                    .as(remedy.label())
                    .isNotNull();
        }
        assertThat(remedies)
                .extracting(r -> ConfigLoader.load(null, withClasses(r))
                        .training()
                        .loss()
                        .function())
                .containsExactly("bce", "bce", "bce", "focal", "dice", "dice", "bce_dice", "bce_dice");
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertThat(Remedy.list(new double[] {1, 912.345, 0.0123456, 1234.5})).isEqualTo("[1, 912, 0.0123, 1230]");
    }

    @Test
    void tableListsTheRareClassFirst() {
        Remedy bce = new Remedy("bce", List.of());
        String table = RemediesTable.render(
                List.of(
                        new RemedyResult(
                                bce,
                                100,
                                new double[] {0.9, 0.1, Double.NaN},
                                new double[] {0.8, 0.05, 0.7},
                                -1,
                                41.6,
                                false),
                        new RemedyResult(
                                new Remedy("dice", List.of()),
                                100,
                                new double[] {0.9, 0.6, 0.5},
                                new double[] {0.8, 0.55, 0.7},
                                40,
                                43.2,
                                false)),
                List.of("a", "rare", "c"),
                1,
                10);

        assertThat(table)
                .contains("| loss configuration | train IoU (rare / a / c) | validation IoU (rare / a / c) |")
                .contains("| bce | 0.10 / 0.90 / - | 0.05 / 0.80 / 0.70 | never | 42 |")
                .contains("| dice | 0.60 / 0.90 / 0.50 | 0.55 / 0.80 / 0.70 | iteration 40 | 43 |");
        assertThat(table.lines().count()).isEqualTo(4);
    }

    @Test
    void prevalenceIsAShareOfPixels() {
        assertThat(ClassBalance.of(new TinyDataset(), 3).prevalence(0)).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        java.io.PrintStream out = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        assertThatThrownBy(() -> RemediesExperiment.run(null, List.of(), List.of("cures"), out))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "experiment: unknown experiment 'cures'; experiments: remedies [--iterations N] [--every K]");
        assertThatThrownBy(() -> RemediesExperiment.run(null, List.of(), List.of("remedies", "--iterations", "0"), out))
                .hasMessage("experiment remedies: --iterations must be a positive integer, got '0'");
        assertThatThrownBy(() -> RemediesExperiment.run(null, List.of(), List.of("remedies", "--epochs", "3"), out))
                .hasMessage("experiment remedies: unknown option --epochs; options: --iterations N, --every K");
        assertThatThrownBy(() -> RemediesExperiment.run(null, List.of(), List.of("remedies", "--every"), out))
                .hasMessage("experiment remedies: --every needs a value");
    }

    private static List<String> withClasses(Remedy remedy) {
        List<String> overrides = new ArrayList<>(List.of("training.classes=[a, b, c]"));
        overrides.addAll(remedy.overrides());
        return overrides;
    }
}
