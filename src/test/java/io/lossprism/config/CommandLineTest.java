package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    @Test
    void noArgumentsMeansTrainWithDefaults() {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine("train", null, List.of(), List.of()));
    }

    @Test
    void separateValueForms() {
        CommandLine line = CommandLine.parse(
                "train",
                "--config",
                "config/tiny.yaml",
                "--set",
                "training.epochs=3",
                "--set",
                "training.classes=[a,b]");

        assertThat(line.command()).isEqualTo("train");
        assertThat(line.configFile()).isEqualTo(Path.of("config/tiny.yaml"));
        assertThat(line.overrides()).containsExactly("training.epochs=3", "training.classes=[a,b]");
        assertThat(line.rest()).isEmpty();
    }

    @Test
    void equalsForms() {
        CommandLine line = CommandLine.parse("--config=my.yaml", "--set=http.port=0", "--set=http.host=a=b");

        assertThat(line.command()).isEqualTo("train");
        assertThat(line.configFile()).isEqualTo(Path.of("my.yaml"));
        assertThat(line.overrides()).containsExactly("http.port=0", "http.host=a=b");
    }

    @Test
    void otherCommandsKeepUnknownOptionsInOrder() {
        CommandLine line = CommandLine.parse(
                "benchmark", "--iterations", "5", "--set", "training.imageSize=256", "--warmup=2", "extra");

        assertThat(line.command()).isEqualTo("benchmark");
        assertThat(line.overrides()).containsExactly("training.imageSize=256");
        assertThat(line.rest()).containsExactly("--iterations", "5", "--warmup=2", "extra");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "help"})
    void helpForms(String arg) {
        assertThat(CommandLine.parse(arg).command()).isEqualTo("help");
    }

    @Test
    void helpWinsAnywhereEvenWithUnknownOptions() {
        assertThat(CommandLine.parse("train", "--bogus", "--help").command()).isEqualTo("help");
        assertThat(CommandLine.parse("benchmark", "-h").command()).isEqualTo("help");
    }

    @Test
    void trainRejectsUnknownOptions() {
        assertThatThrownBy(() -> CommandLine.parse("--bogus"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown option '--bogus' for command 'train'");
        assertThatThrownBy(() -> CommandLine.parse("train", "--set", "a=1", "--epochs=3"))
                .hasMessageStartingWith("unknown option '--epochs=3' for command 'train'");
    }

    @Test
    void trainRejectsStrayArguments() {
        assertThatThrownBy(() -> CommandLine.parse("train", "now"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unexpected argument 'now' for command 'train'");
    }

    @Test
    void missingValuesAreErrors() {
        assertThatThrownBy(() -> CommandLine.parse("--config")).hasMessage("--config needs a value: --config FILE");
        assertThatThrownBy(() -> CommandLine.parse("--config=")).hasMessage("--config needs a value: --config FILE");
        assertThatThrownBy(() -> CommandLine.parse("--config", "--set", "a=1"))
                .hasMessage("--config needs a value: --config FILE");
        assertThatThrownBy(() -> CommandLine.parse("train", "--set"))
                .hasMessage("--set needs a value: --set key=value");
        assertThatThrownBy(() -> CommandLine.parse("--set="))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set needs a value: --set key=value");
    }

    @Test
    void setWithoutEqualsNamesTheArgument() {
        assertThatThrownBy(() -> CommandLine.parse("--set", "training.epochs"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set 'training.epochs': expected key=value, e.g. --set training.epochs=5");
    }

    @Test
    void configMayBeGivenOnce() {
        assertThatThrownBy(() -> CommandLine.parse("--config", "a.yaml", "--config=b.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config given more than once");
    }

    @Test
    void listsAreImmutable() {
        CommandLine line = CommandLine.parse("--set", "a=1");

        assertThatThrownBy(() -> line.overrides().add("b=2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> line.rest().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parsedLineFeedsTheLoader() {
        CommandLine line = CommandLine.parse("--config", "config/tiny.yaml", "--set", "training.epochs=3");

        AppConfig config = ConfigLoader.load(line.configFile(), line.overrides());

        assertThat(config.training().imageSize()).isEqualTo(32);
        assertThat(config.training().epochs()).isEqualTo(3);
    }

    @Test
    void usageIsShortAndMentionsEveryOption() {
        String usage = CommandLine.usage();

        assertThat(usage.lines().count()).isBetween(3L, 14L);
        assertThat(usage).contains("--config FILE", "--set key=value", "--help", "train");
    }
}
