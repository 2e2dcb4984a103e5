package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {

    @TempDir
    Path dir;

    @Test
    void aConfiguredTokenIsUsedAndNoFileWritten() {
        AccessToken token = AccessToken.resolve("configured-token-123", dir);

        assertThat(token.matches("configured-token-123")).isTrue();
        assertThat(token.matches("configured-token-124")).isFalse();
        assertThat(dir.resolve("token")).doesNotExist();
    }

    @Test
    void withoutOneATokenIsGeneratedOnceStoredOwnerOnlyAndReused() throws Exception {
        AccessToken first = AccessToken.resolve("", dir);
        Path file = dir.resolve("token");
        String stored = Files.readString(file).strip();

        assertThat(stored).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.matches(stored)).isTrue();
        AccessToken again = AccessToken.resolve("", dir);
        assertThat(again.matches(stored)).isTrue();
        assertThat(Files.readString(file).strip()).isEqualTo(stored);
    }

    @Test
    void anEmptyTokenFileIsAnErrorNamingIt() throws Exception {
        Files.writeString(dir.resolve("token"), "\n");

        assertThatThrownBy(() -> AccessToken.resolve("", dir))
                .hasMessageContaining(dir.resolve("token").toString())
                .hasMessageContaining("empty");
    }

    @Test
    void bearerHeadersMustCarryTheExactToken() {
        AccessToken token = AccessToken.resolve("abcdefghijklmnop", dir);

        assertThat(token.matchesHeader("Bearer abcdefghijklmnop")).isTrue();
        assertThat(token.matchesHeader("bearer abcdefghijklmnop")).isTrue();
        assertThat(token.matchesHeader("Bearer abcdefghijklmno")).isFalse();
        assertThat(token.matchesHeader("Basic abcdefghijklmnop")).isFalse();
        assertThat(token.matchesHeader("abcdefghijklmnop")).isFalse();
        assertThat(token.matchesHeader(null)).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain("abcdefghijklmnop");
    }
}
