package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.alert.rules.RuleKind;
import io.lossprism.alert.rules.RuleSettings;
import io.lossprism.alert.rules.Smoothing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static AppConfig set(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static ConfigException failure(Runnable action) {
        try {
            action.run();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n", "\r", "Exception", "\tat ");
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    // ---- defaults and layering --------------------------------------------------------------------

    @Test
    void defaultsAreTheDocumentedValues() {
        AppConfig config = ConfigLoader.defaults();

        assertThat(config.http())
                .isEqualTo(new HttpConfig("127.0.0.1", 8080, "", false, List.of(), 65_536, 20, 400, List.of(), 20, 4));
        assertThat(config.storage()).isEqualTo(new StorageConfig(Path.of("lossprism-data"), true, 100_000, 10));
        assertThat(config.checkpoint()).isEqualTo(new CheckpointConfig(100, 2, 3));
        assertThat(config.checkpoint().everyMillis()).isEqualTo(120_000);
        TrainingConfig training = config.training();
        assertThat(training.imageSize()).isEqualTo(64);
        assertThat(training.batchSize()).isEqualTo(16);
        assertThat(training.classes()).containsExactly("disc", "bar", "box", "ring", "speck");
        assertThat(training.classCount()).isEqualTo(5);
        assertThat(training.classWeights()).containsExactly(1.0, 1.0, 1.0, 1.0, 1.0);
        assertThat(training.epochs()).isEqualTo(20);
        assertThat(training.optimizer()).isEqualTo(Optimizer.ADAM);
        assertThat(training.learningRate()).isEqualTo(0.001);
        assertThat(training.seed()).isEqualTo(42L);
        assertThat(config.data())
                .isEqualTo(new DataConfig(
                        "synthetic", "", "auto", "stretch", 0.1, "fail", 50_000_000, 512, 64, 7L, false));
        assertThat(config.monitor()).isEqualTo(new MonitorConfig(50, 50, 100, 4));
        assertThat(config.model()).isEqualTo(new ModelConfig("unet", "", "", 4, 8, false, 0, "transposed"));
        AlertsConfig alerts = config.alerts();
        assertThat(alerts.warmupIterations()).isEqualTo(300);
        assertThat(alerts.smoothing()).isEqualTo(new Smoothing(Smoothing.Method.EMA, 0.1, 50));
        assertThat(alerts.rules())
                .isEqualTo(Arrays.stream(RuleKind.values())
                        .map(RuleSettings::defaults)
                        .toList());
        assertThat(alerts.webhooks()).isEmpty();
    }

    @Test
    void smoothingIsOneSettingBuiltFromItsThreeKeysAndLeavesTheRulesAlone() {
        AlertsConfig alerts = set("alerts.smoothing=window", "alerts.emaAlpha=0.3", "alerts.window=7")
                .alerts();

        assertThat(alerts.smoothing()).isEqualTo(new Smoothing(Smoothing.Method.WINDOW, 0.3, 7));
        assertThat(alerts.rules()).isEqualTo(ConfigLoader.defaults().alerts().rules());
    }

    @Test
    void ruleKeysSetTheirRule() {
        AlertsConfig alerts = set(
                        "alerts.iouLag.threshold=0.4",
                        "alerts.iouLag.for=2",
                        "alerts.trend.split=validation",
                        "alerts.hidden.enabled=false")
                .alerts();

        assertThat(alerts.rules())
                .containsExactly(
                        RuleSettings.defaults(RuleKind.IOU_LAG)
                                .withThreshold(0.4)
                                .withForEvaluations(2),
                        RuleSettings.defaults(RuleKind.POSITIVE_LOSS_RATIO),
                        RuleSettings.defaults(RuleKind.TREND_DIVERGENCE).withSplit("validation"),
                        RuleSettings.defaults(RuleKind.HIDDEN_CLASS).withEnabled(false),
                        RuleSettings.defaults(RuleKind.NON_FINITE_LOSS));
        assertThat(alerts.smoothing())
                .isEqualTo(ConfigLoader.defaults().alerts().smoothing());
    }

    @Test
    void noFileAndNoOverridesGiveTheDefaults() {
        assertThat(ConfigLoader.load(null, List.of())).isEqualTo(ConfigLoader.defaults());
        assertThat(ConfigLoader.load(null, null)).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        assertThat(ConfigLoader.load(yaml("# nothing but a comment\n"), List.of()))
                .isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void fileOverlaysOnlyTheKeysItNames() throws IOException {
        Path file = yaml("""
        http:
          port: 9090
        training:
          imageSize: 128
          classes: [cat, dog]
          classWeights: [1, 2.5]
          optimizer: nesterovs
          learningRate: 1e-2
        monitor:
        """);

        AppConfig config = ConfigLoader.load(file, List.of());

        AppConfig defaults = ConfigLoader.defaults();
        assertThat(config.http())
                .isEqualTo(new HttpConfig("127.0.0.1", 9090, "", false, List.of(), 65_536, 20, 400, List.of(), 20, 4));
        assertThat(config.training())
                .isEqualTo(new TrainingConfig(
                        128, 16, List.of("cat", "dog"), List.of(1.0, 2.5), 20, Optimizer.NESTEROVS, 0.01, 42));
        assertThat(config.data()).isEqualTo(defaults.data());
        assertThat(config.monitor()).isEqualTo(defaults.monitor());
    }

    @Test
    void dottedKeysWorkInsideTheFileToo() throws IOException {
        assertThat(ConfigLoader.load(yaml("training.epochs: 3\n"), List.of())
                        .training()
                        .epochs())
                .isEqualTo(3);
    }

    @Test
    void overridesWinOverTheFileAndLaterOverridesWin() throws IOException {
        Path file = yaml("training:\n  imageSize: 128\n  epochs: 5\n");

        AppConfig config = ConfigLoader.load(
                file,
                List.of(
                        "training.imageSize=32",
                        "training.optimizer=rmsprop",
                        "training.optimizer=sgd",
                        "http.host=0.0.0.0"));

        assertThat(config.training().imageSize()).isEqualTo(32);
        assertThat(config.training().epochs()).isEqualTo(5);
        assertThat(config.training().optimizer()).isEqualTo(Optimizer.SGD);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void overrideValuesAreYamlScalarsOrFlowCollections() {
        AppConfig config = set(
                "training.classes=[a, b_2, C-3]",
                "training.classWeights=[0.5,2,3]",
                "training.learningRate=0.5",
                "training.seed=-9000000000",
                "data.seed=0",
                "http.port=0");

        assertThat(config.training().classes()).containsExactly("a", "b_2", "C-3");
        assertThat(config.training().classWeights()).containsExactly(0.5, 2.0, 3.0);
        assertThat(config.training().learningRate()).isEqualTo(0.5);
        assertThat(config.training().seed()).isEqualTo(-9_000_000_000L);
        assertThat(config.data().seed()).isZero();
        assertThat(config.http().port()).isZero();
    }

    @Test
    void aWholeSectionCanBeSetAsAFlowMapping() {
        AppConfig config = set("training={imageSize: 32, batchSize: 4}");

        assertThat(config.training().imageSize()).isEqualTo(32);
        assertThat(config.training().batchSize()).isEqualTo(4);
    }

    @Test
    void wordsThatYaml11TreatsAsBooleansStayNames() {
        assertThat(set("training.classes=[yes, no, on, off, '7']").training().classes())
                .containsExactly("yes", "no", "on", "off", "7");
    }

    /** Numeric keys refuse '64'; class names refuse 7 alike (YAML would also read 007 as 7). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      [a, 7]        | training.classes[1]: must be a name (a string), got 7; write a number as a name in quotes, e.g. '7'
      [1.5, b]      | training.classes[0]: must be a name (a string), got 1.5; write a number as a name in quotes, e.g. '7'
      [a, b, true]  | training.classes[2]: must be a name (a string), got true; write a number as a name in quotes, e.g. '7'
      [a, [b]]      | training.classes[1]: must be a name (a string), got ['b']; write a number as a name in quotes, e.g. '7'
      [a, null]     | training.classes[1]: must be a name (a string), got an empty value; write a number as a name in quotes, e.g. '7'
      """)
    void classNamesMustBeStringsAndTheErrorNamesTheIndex(String value, String message) {
        assertThat(failure(() -> set("training.classes=" + value))).hasMessage(message);
    }

    @Test
    void controlCharactersInAValueAreEscapedInTheMessage() {
        ConfigException e = failure(() -> set("training.classes=[a, \"b\\0c\\x1b[31m\\td\"]"));

        assertThat(e.getMessage())
                .endsWith("got ['a', 'b\\u0000c\\u001b[31m\\td']")
                .doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void emptyClassWeightsResolveToOnePerClass() {
        TrainingConfig training =
                set("training.classes=[a, b, c]", "training.classWeights=[]").training();

        assertThat(training.classWeights()).containsExactly(1.0, 1.0, 1.0);
        assertThat(training.classCount()).isEqualTo(3);
    }

    @Test
    void aTokenMustBeEmptyOrLongEnough() {
        assertThat(set("http.token=abcdefghijklmnop").http().token()).isEqualTo("abcdefghijklmnop");
        assertThat(failure(() -> set("http.token=short")))
                .hasMessageStartingWith("http.token: must be empty (generate one) or 16 to 256 characters")
                .hasMessageNotContaining("short");
    }

    @Test
    void syntheticDataDrawsAtMostFiveClasses() {
        assertThat(failure(() -> set("training.classes=[a,b,c,d,e,f]")))
                .hasMessage("training.classes: synthetic data (data.source) draws at most 5 classes, got 6");
        assertThat(set("data.source=folder", "data.folder=/tmp/x", "training.classes=[a,b,c,d,e,f]")
                        .training()
                        .classCount())
                .isEqualTo(6);
    }

    @Test
    void folderDataNeedsAFolder() {
        assertThat(failure(() -> set("data.source=folder")))
                .hasMessage("data.folder: must name the dataset folder when data.source is folder");
    }

    @Test
    void classWeightsMustMatchTheClassCount() {
        ConfigException e = failure(() -> set("training.classes=[a, b, c]", "training.classWeights=[1, 2]"));

        assertThat(e)
                .hasMessage("training.classWeights: must be empty (all 1.0) or have one weight per class in "
                        + "training.classes (3), got 2");
    }

    @Test
    void trainImagesMustCoverOneBatch() {
        ConfigException e = failure(() -> set("training.batchSize=32", "data.trainImages=16"));

        assertThat(e).hasMessage("data.trainImages: must be at least training.batchSize (32), got 16");
        assertThat(set("training.batchSize=16", "data.trainImages=16").data().trainImages())
                .isEqualTo(16);
    }

    @Test
    void modelKeysAreRead() {
        ModelConfig model = set(
                        "model.depth=5",
                        "model.baseFilters=16",
                        "model.batchNorm=true",
                        "model.dropout=0.25",
                        "model.upsampling=bilinear")
                .model();

        assertThat(model).isEqualTo(new ModelConfig("unet", "", "", 5, 16, true, 0.25, "bilinear"));
        assertThat(model.bilinear()).isTrue();
        assertThat(model.fromFile()).isFalse();
    }

    @Test
    void aFileSourceNeedsAFileAndTheUNetNone() {
        assertThat(failure(() -> set("model.source=keras")))
                .hasMessage("model.file: must name the network file when model.source is keras");
        assertThat(failure(() -> set("model.file=/data/unet.h5")))
                .hasMessage("model.file: only read when model.source is dl4j or keras; model.source is unet");
        assertThat(set("model.source=dl4j", "model.file=/data/net.zip").model().fromFile())
                .isTrue();
        assertThat(failure(() -> set("model.source=onnx")).getMessage())
                .isEqualTo("model.source: must be one of [unet, dl4j, keras], got 'onnx'");
    }

    @Test
    void theUNetDepthMustDivideTheImageSize() {
        assertThat(failure(() -> set("model.depth=6", "training.imageSize=32")))
                .hasMessage(
                        "training.imageSize: must be a multiple of 64 (2^model.depth) so that every pooling halves it"
                                + " evenly, got 32");
        assertThat(failure(() -> set("model.depth=5", "training.imageSize=48")).getMessage())
                .contains("multiple of 32");
        assertThat(set("model.depth=6", "training.imageSize=128").model().depth())
                .isEqualTo(6);
        // a file network is not built from the depth
        assertThat(set("model.source=keras", "model.file=/x.h5", "model.depth=6")
                        .model()
                        .depth())
                .isEqualTo(6);
        assertThat(failure(() -> set("model.depth=7")).getMessage())
                .startsWith("model.depth: must be an integer between 2 and 6");
        assertThat(failure(() -> set("model.dropout=1")).getMessage())
                .startsWith("model.dropout: must be a number from 0 to 0.9");
    }

    @Test
    void aRecordedHashIsSixtyFourHexDigits() {
        String hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(set("model.source=keras", "model.file=/x.h5", "model.sha256=" + hash)
                        .model()
                        .sha256())
                .isEqualTo(hash);
        assertThat(failure(() -> set("model.sha256=abc")).getMessage()).startsWith("model.sha256: must be empty or 64");
    }

    // ---- unknown keys ----------------------------------------------------------------------------

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        ConfigException e = failure(() -> set("training.imagesize=32"));

        assertThat(e.getMessage())
                .startsWith(
                        "unknown configuration key 'training.imagesize' (did you mean 'training.imageSize'?); known keys: ")
                .contains("http.host, http.port, http.token", "training.imageSize", "monitor.logEveryIterations");
    }

    @Test
    void unknownKeysInTheFileAreReportedWithTheirDottedPath() throws IOException {
        Path file = yaml("training:\n  epoch: 3\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("unknown configuration key 'training.epoch' (did you mean 'training.epochs'?)");
    }

    @Test
    void aKeyWithoutItsSectionSuggestsTheFullPath() {
        assertThat(failure(() -> set("learningRate=0.1")).getMessage())
                .startsWith("unknown configuration key 'learningRate' (did you mean 'training.learningRate'?)");
    }

    @Test
    void aMistypedSectionInAFileSuggestsTheSection() throws IOException {
        Path file = yaml("trainig:\n  epochs: 3\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("unknown configuration key 'trainig' (did you mean 'training'?)");
    }

    @Test
    void aMistypedSectionInAnOverrideSuggestsTheFullKey() {
        assertThat(failure(() -> set("trainig.epochs=3")).getMessage())
                .startsWith("unknown configuration key 'trainig.epochs' (did you mean 'training.epochs'?)");
    }

    @Test
    void farFetchedKeysGetNoSuggestion() {
        assertThat(failure(() -> set("completely.different=1")).getMessage())
                .startsWith("unknown configuration key 'completely.different'; known keys: ");
    }

    @Test
    void aSectionNeedsAMapping() throws IOException {
        Path file = yaml("training: 5\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("training: must be a mapping of keys (training.imageSize, ")
                .endsWith("), got 5");
    }

    // ---- constraints -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      http.host               | ''          | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got ''
      http.host               | true        | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got true
      http.host               | local host  | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got 'local host'
      http.host               | 256.1.1.1   | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got '256.1.1.1'
      http.host               | localhost:8080 | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got 'localhost:8080'
      http.host               | http://x    | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got 'http://x'
      http.host               | '::g'       | http.host: must be a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1), got '::g'
      http.allowedHosts       | [a.example, 'evil.example:80'] | http.allowedHosts: must be a list of host names or IP addresses (no ports), got ['a.example', 'evil.example:80']
      http.requestBurst       | 0           | http.requestBurst: must be an integer between 1 and 100000, got 0
      http.eventLoops         | 0           | http.eventLoops: must be an integer between 1 and 64, got 0
      http.eventLoops         | 65          | http.eventLoops: must be an integer between 1 and 64, got 65
      http.port               | 65536       | http.port: must be an integer between 0 and 65535, got 65536
      http.port               | -1          | http.port: must be an integer between 0 and 65535, got -1
      training.imageSize      | 100         | training.imageSize: must be a multiple of 16 between 16 and 1024, got 100
      training.imageSize      | 0           | training.imageSize: must be a multiple of 16 between 16 and 1024, got 0
      training.imageSize      | 1040        | training.imageSize: must be a multiple of 16 between 16 and 1024, got 1040
      training.imageSize      | 64.0        | training.imageSize: must be a multiple of 16 between 16 and 1024, got 64.0
      training.imageSize      | '64'        | training.imageSize: must be a multiple of 16 between 16 and 1024, got '64'
      training.batchSize      | 0           | training.batchSize: must be an integer between 1 and 1024, got 0
      training.batchSize      | 1025        | training.batchSize: must be an integer between 1 and 1024, got 1025
      training.classes        | []          | training.classes: must be a list of 1 to 64 distinct names matching [A-Za-z0-9_-]{1,32}, got []
      training.classes        | [a, a]      | training.classes: must be a list of 1 to 64 distinct names matching [A-Za-z0-9_-]{1,32}, got ['a', 'a']
      training.classes        | [a, 'b c']  | training.classes: must be a list of 1 to 64 distinct names matching [A-Za-z0-9_-]{1,32}, got ['a', 'b c']
      training.classes        | [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa] | training.classes: must be a list of 1 to 64 distinct names matching [A-Za-z0-9_-]{1,32}, got ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']
      training.classes        | disc        | training.classes: must be a list of 1 to 64 distinct names matching [A-Za-z0-9_-]{1,32}, got 'disc'
      training.classWeights   | [1, 0, 1, 1, 1]   | training.classWeights: must be a list of finite numbers > 0, got [1, 0, 1, 1, 1]
      training.classWeights   | [1, -2, 1, 1, 1]  | training.classWeights: must be a list of finite numbers > 0, got [1, -2, 1, 1, 1]
      training.classWeights   | [1, .inf, 1, 1, 1] | training.classWeights: must be a list of finite numbers > 0, got [1, Infinity, 1, 1, 1]
      training.classWeights   | [1, .nan, 1, 1, 1] | training.classWeights: must be a list of finite numbers > 0, got [1, NaN, 1, 1, 1]
      training.classWeights   | 2           | training.classWeights: must be a list of finite numbers > 0, got 2
      training.epochs         | 0           | training.epochs: must be an integer between 1 and 100000, got 0
      training.epochs         | 100001      | training.epochs: must be an integer between 1 and 100000, got 100001
      training.optimizer      | adagrad     | training.optimizer: must be one of [adam, sgd, nesterovs, rmsprop], got 'adagrad'
      training.optimizer      | ADAM        | training.optimizer: must be one of [adam, sgd, nesterovs, rmsprop], got 'ADAM'
      training.learningRate   | 0           | training.learningRate: must be a number > 0 and <= 10, got 0
      training.learningRate   | -0.1        | training.learningRate: must be a number > 0 and <= 10, got -0.1
      training.learningRate   | 10.5        | training.learningRate: must be a number > 0 and <= 10, got 10.5
      training.learningRate   | fast        | training.learningRate: must be a number > 0 and <= 10, got 'fast'
      training.learningRate   | .nan        | training.learningRate: must be a number > 0 and <= 10, got NaN
      training.seed           | 1.5         | training.seed: must be a 64-bit integer, got 1.5
      training.seed           | 9223372036854775808 | training.seed: must be a 64-bit integer, got 9223372036854775808
      data.source             | disk        | data.source: must be one of [synthetic, folder], got 'disk'
      data.trainImages        | 0           | data.trainImages: must be an integer between 1 and 1000000, got 0
      data.trainImages        | 1000001     | data.trainImages: must be an integer between 1 and 1000000, got 1000001
      data.validationImages   | -1          | data.validationImages: must be an integer between 0 and 1000000, got -1
      data.seed               | seven       | data.seed: must be a 64-bit integer, got 'seven'
      monitor.logEveryIterations | 0        | monitor.logEveryIterations: must be an integer between 1 and 1000000, got 0
      monitor.logEveryIterations | ''       | monitor.logEveryIterations: must be an integer between 1 and 1000000, got ''
      """)
    void eachConstraintNamesItsKey(String key, String value, String message) {
        assertThat(failure(() -> set(key + "=" + value))).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"127.0.0.1", "0.0.0.0", "localhost", "::1", "[::1]", "::", "my-host.lan", "lossprism.example."})
    void hostsAreNamesOrAddresses(String host) {
        String yaml = host.contains(":") ? "'" + host + "'" : host;
        assertThat(set("http.host=" + yaml).http().host()).isEqualTo(host);
        assertThat(set("http.allowedHosts=[" + yaml + "]").http().allowedHosts())
                .containsExactly(host);
    }

    @Test
    void anEmptyOverrideValueIsReportedAsEmpty() {
        assertThat(failure(() -> set("training.epochs=")))
                .hasMessage("training.epochs: must be an integer between 1 and 100000, got an empty value");
    }

    @Test
    void constraintsApplyToFileValuesToo() throws IOException {
        Path file = yaml("training:\n  imageSize: 100\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())))
                .hasMessage("training.imageSize: must be a multiple of 16 between 16 and 1024, got 100");
    }

    @Test
    void boundaryValuesAreAccepted() {
        AppConfig low = set(
                "http.port=0",
                "training.imageSize=16",
                "training.batchSize=1",
                "training.classes=[x]",
                "training.epochs=1",
                "training.learningRate=1e-9",
                "data.trainImages=1",
                "data.validationImages=0",
                "monitor.logEveryIterations=1");
        AppConfig high = set(
                "http.port=65535",
                "training.imageSize=1024",
                "training.batchSize=1024",
                "training.epochs=100000",
                "training.learningRate=10",
                "data.trainImages=1000000",
                "data.validationImages=1000000",
                "monitor.logEveryIterations=1000000",
                "training.seed=9223372036854775807",
                "data.seed=-9223372036854775808");

        assertThat(low.training().classes()).containsExactly("x");
        assertThat(low.training().learningRate()).isEqualTo(1e-9);
        assertThat(high.training().learningRate()).isEqualTo(10.0);
        assertThat(high.training().seed()).isEqualTo(Long.MAX_VALUE);
        assertThat(high.data().seed()).isEqualTo(Long.MIN_VALUE);
    }

    // ---- --set syntax ----------------------------------------------------------------------------

    @Test
    void overrideWithoutEqualsNamesTheArgument() {
        assertThat(failure(() -> set("training.epochs")))
                .hasMessage("--set 'training.epochs': expected key=value, e.g. --set training.epochs=5");
    }

    @Test
    void overrideWithoutKeyNamesTheArgument() {
        assertThat(failure(() -> set("=5")).getMessage()).startsWith("--set '=5': missing the key before '='");
    }

    @Test
    void overrideWithInvalidYamlNamesTheArgument() {
        assertThat(failure(() -> set("training.classes=[a, b")).getMessage())
                .startsWith("--set training.classes=[a, b: value is not valid YAML: ");
    }

    // ---- files -----------------------------------------------------------------------------------

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");

        assertThat(failure(() -> ConfigLoader.load(missing, List.of())))
                .hasMessage("config file '" + missing + "' not found");
    }

    @Test
    void directoryIsNotAConfigFile() {
        assertThat(failure(() -> ConfigLoader.load(dir, List.of())))
                .hasMessage("config file '" + dir + "' is not a regular file");
    }

    @Test
    void invalidYamlNamesTheFileAndPosition() throws IOException {
        Path file = yaml("training:\n  imageSize: 32\n epochs: [1, 2\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("config file '" + file + "' is not valid YAML: ")
                .containsPattern("\\(line \\d+, column \\d+\\)$");
    }

    @Test
    void duplicateKeysAreInvalid() throws IOException {
        Path file = yaml("training:\n  epochs: 1\n  epochs: 2\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("config file '" + file + "' is not valid YAML: ")
                .contains("duplicate key epochs");
    }

    @Test
    void javaObjectTagsAreRefused() throws IOException {
        Path file = yaml("training:\n  epochs: !!java.util.ArrayList []\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("config file '" + file + "' is not valid YAML: ");
    }

    @Test
    void topLevelMustBeAMapping() throws IOException {
        Path file = yaml("- training\n- data\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())))
                .hasMessage(
                        "config file '" + file + "' must hold a mapping of configuration keys (such as 'training:'), "
                                + "got ['training', 'data']");
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() throws IOException {
        Path file = yaml("# " + "x".repeat(SafeYaml.MAX_SIZE) + "\n");

        assertThat(failure(() -> ConfigLoader.load(file, List.of())).getMessage())
                .startsWith("config file '" + file + "' is too large: ");
    }

    @Test
    void nonUtf8FileIsNamed() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'h', 't', 't', 'p', ':', ' ', (byte) 0xE9, '\n'});

        assertThat(failure(() -> ConfigLoader.load(file, List.of())))
                .hasMessage("config file '" + file + "' is not valid UTF-8 text");
    }

    // ---- records ---------------------------------------------------------------------------------

    @Test
    void trainingConfigResolvesEmptyWeightsAndRejectsAMismatch() {
        TrainingConfig training = new TrainingConfig(32, 2, List.of("a", "b"), List.of(), 1, Optimizer.SGD, 0.1, 1);

        assertThat(training.classWeights()).containsExactly(1.0, 1.0);
        assertThatThrownBy(() -> new TrainingConfig(32, 2, List.of("a", "b"), List.of(1.0), 1, Optimizer.SGD, 0.1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optimizerYamlNamesAreLowerCase() {
        assertThat(Optimizer.NESTEROVS.yamlName()).isEqualTo("nesterovs");
        assertThat(set("training.optimizer=rmsprop").training().optimizer()).isEqualTo(Optimizer.RMSPROP);
    }

    @Test
    void configExceptionMessagesAreOneLine() {
        assertThat(new ConfigException("a\n  b\r\nc")).hasMessage("a b c");
    }
}
