package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The training loss keys: defaults, values, constraints naming their key, and the values a run stores. */
class LossConfigTest {

    private static AppConfig set(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    @Test
    void defaultIsPlainBinaryCrossEntropy() {
        LossConfig loss = ConfigLoader.defaults().training().loss();

        assertThat(loss)
                .isEqualTo(
                        new LossConfig("bce", List.of(1.0, 1.0, 1.0, 1.0, 1.0), 2, Double.NaN, "micro", 1, List.of()));
        assertThat(loss).isEqualTo(LossConfig.bce(5));
    }

    @Test
    void everyKeyIsSettable() {
        LossConfig loss = set(
                        "training.loss=bce_dice",
                        "training.posWeight=[1, 2, 3, 4, 900]",
                        "training.focalGamma=0.5",
                        "training.focalAlpha=0.25",
                        "training.dice=macro",
                        "training.diceSmooth=0",
                        "training.bceDiceWeights=[0.5, 2]")
                .training()
                .loss();

        assertThat(loss)
                .isEqualTo(new LossConfig(
                        "bce_dice", List.of(1.0, 2.0, 3.0, 4.0, 900.0), 0.5, 0.25, "macro", 0, List.of(0.5, 2.0)));
    }

    @Test
    void posWeightFollowsTheClasses() {
        assertThat(set("training.classes=[a, b]").training().loss().posWeight()).containsExactly(1.0, 1.0);
        assertThat(set("training.classes=[a, b]", "training.posWeight=[3, 4]")
                        .training()
                        .loss()
                        .posWeight())
                .containsExactly(3.0, 4.0);
    }

    @Test
    void focalAlphaNoneIsNoBalancing() {
        assertThat(set("training.focalAlpha=0.3", "training.focalAlpha=none")
                        .training()
                        .loss()
                        .focalAlpha())
                .isNaN();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      training.loss           | cce         | training.loss: must be one of [bce, focal, dice, bce_dice], got 'cce'
      training.loss           | BCE         | training.loss: must be one of [bce, focal, dice, bce_dice], got 'BCE'
      training.posWeight      | [1, 0, 1, 1, 1] | training.posWeight: must be a list of finite numbers > 0, got [1, 0, 1, 1, 1]
      training.posWeight      | [1, 1, 1]   | training.posWeight: must be empty (all 1.0) or have one weight per class in training.classes (5), got 3
      training.posWeight      | 3           | training.posWeight: must be a list of finite numbers > 0, got 3
      training.focalGamma     | -1          | training.focalGamma: must be a number from 0 to 10, got -1
      training.focalGamma     | 11          | training.focalGamma: must be a number from 0 to 10, got 11
      training.focalAlpha     | 1.5         | training.focalAlpha: must be a number from 0 to 1, or none, got 1.5
      training.focalAlpha     | off         | training.focalAlpha: must be a number from 0 to 1, or none, got 'off'
      training.dice           | mean        | training.dice: must be one of [micro, macro], got 'mean'
      training.diceSmooth     | -0.5        | training.diceSmooth: must be a number from 0 to 1000000, got -0.5
      training.diceSmooth     | .inf        | training.diceSmooth: must be a number from 0 to 1000000, got Infinity
      training.bceDiceWeights | [1]         | training.bceDiceWeights: must be empty ([1/(C*H*W), 1]) or two weights [cross-entropy, Dice], got 1
      training.bceDiceWeights | [1, 0]      | training.bceDiceWeights: must be a list of finite numbers > 0, got [1, 0]
      """)
    void eachConstraintNamesItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> set(key + "=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    /** A run stores its explicit values and rebuilds its configuration from them when it resumes. */
    @Test
    void aRunsStoredValuesRebuildItsLoss() {
        List<String> overrides = List.of(
                "training.loss=focal",
                "training.focalAlpha=none",
                "training.focalGamma=1.5",
                "training.posWeight=[1, 1, 1, 1, 50]");
        Map<String, Object> stored = ConfigLoader.explicitValues(null, overrides);

        assertThat(ConfigLoader.fromValues(stored, List.of())).isEqualTo(set(overrides.toArray(String[]::new)));
        assertThat(ConfigLoader.fromValues(stored, List.of("training.loss=dice"))
                        .training()
                        .loss()
                        .function())
                .isEqualTo("dice");
    }
}
