package io.lossprism.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {

    /** SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void aFilesFingerprintIsItsSha256(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("net.zip"), "abc");
        ModelSource source = ModelSource.of(ConfigLoader.load(null, List.of("model.source=dl4j", "model.file=" + file))
                .model());

        assertThat(source.fingerprint()).isEqualTo(ABC);
        assertThat(source.describe()).isEqualTo("dl4j " + file);
        assertThat(source.origin()).isEqualTo("model.file " + file);
    }

    @Test
    void theBuiltInNetworkHasNoFile() {
        ModelSource source = ModelSource.of(ConfigLoader.defaults().model());

        assertThat(source.fingerprint()).isEmpty();
        assertThat(source.describe()).isEqualTo("unet");
        assertThatCode(() -> source.checkUnchanged(ABC)).doesNotThrowAnyException();
    }

    @Test
    void anUnchangedFilePassesAndAChangedOneIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("unet.h5"), "abc");
        ModelSource source = new ModelSource("keras", file);
        assertThatCode(() -> source.checkUnchanged(ABC)).doesNotThrowAnyException();
        assertThatCode(() -> source.checkUnchanged("")).doesNotThrowAnyException();

        Files.writeString(file, "abd");

        assertThatThrownBy(() -> source.checkUnchanged(ABC))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.file " + file + " has changed")
                .hasMessageContaining("ba7816bf8f01...")
                .hasMessageContaining("start a new run");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        ModelSource source = new ModelSource("keras", dir.resolve("gone.h5"));

        assertThatThrownBy(source::fingerprint)
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.file " + dir.resolve("gone.h5") + ": cannot be read");
    }
}
