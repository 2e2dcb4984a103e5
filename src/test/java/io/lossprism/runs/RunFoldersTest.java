package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFoldersTest {

    @TempDir
    Path dir;

    @Test
    void deletesTheRunsFolderAndNothingElse() throws Exception {
        Path root = Files.createDirectories(dir.resolve("runs"));
        Path run = Files.createDirectories(root.resolve("run-1").resolve("sub"));
        Files.writeString(root.resolve("run-1").resolve("checkpoint-000000000010.zip"), "x");
        Files.writeString(run.resolve("file"), "y");
        Path neighbour = Files.createDirectories(root.resolve("run-10"));
        Files.writeString(neighbour.resolve("checkpoint-000000000010.zip"), "keep");

        RunFolders.delete(root, "run-1");

        assertThat(root.resolve("run-1")).doesNotExist();
        assertThat(neighbour.resolve("checkpoint-000000000010.zip")).hasContent("keep");
    }

    @Test
    void linksInsideAreRemovedNotFollowed() throws Exception {
        Path root = Files.createDirectories(dir.resolve("runs"));
        Path outside = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(outside.resolve("data"), "keep");
        Path run = Files.createDirectories(root.resolve("run-1"));
        Files.createSymbolicLink(run.resolve("to-folder"), outside);
        Files.createSymbolicLink(run.resolve("to-file"), outside.resolve("data"));
        Files.createSymbolicLink(root.resolve("run-2"), outside);

        RunFolders.delete(root, "run-1");
        RunFolders.delete(root, "run-2");

        assertThat(run).doesNotExist();
        assertThat(root.resolve("run-2")).doesNotExist();
        assertThat(outside.resolve("data")).hasContent("keep");
    }

    @Test
    void anIdThatIsNotAFolderNameIsRefusedAndAMissingFolderIsFine() throws Exception {
        Path root = Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("keep"), "keep");
        for (String id : new String[] {"..", ".", "", "a/../..", "../runs-other", "a/b", "/etc"}) {
            assertThatThrownBy(() -> RunFolders.delete(root, id))
                    .as(id)
                    .isInstanceOf(RunException.class)
                    .hasMessageContaining("does not name a folder under");
        }
        RunFolders.delete(root, "never-trained");
        assertThat(dir.resolve("keep")).exists();
        assertThat(root).exists();
    }
}
