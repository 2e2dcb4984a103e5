package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.ConfigLoader;
import io.lossprism.config.HttpConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCheckTest {

    private static HostCheck check(String... overrides) {
        HttpConfig http = ConfigLoader.fromValues(Map.of(), List.of(overrides)).http();
        return new HostCheck(http);
    }

    @Test
    void onLoopbackOnlyLoopbackNamesAndListedOnesPass() {
        HostCheck check = check("http.host=127.0.0.1", "http.allowedHosts=[Dash.Example]");
        assertThat(List.of(
                        "localhost",
                        "LOCALHOST",
                        "localhost.",
                        "127.0.0.1",
                        "127.1.2.3",
                        "[::1]",
                        "::1",
                        "dash.example"))
                .allMatch(check::allows);
        assertThat(List.of("evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "0.0.0.0", "[::2]", ""))
                .noneMatch(check::allows);
    }

    @Test
    void everyLoopbackBindChecks() {
        for (String bind : List.of("localhost", "127.0.0.1", "'::1'")) {
            assertThat(check("http.host=" + bind).allows("evil.example"))
                    .as(bind)
                    .isFalse();
        }
    }

    @Test
    void onOtherInterfacesOnlyAListChecks() {
        assertThat(check("http.host=0.0.0.0").allows("lossprism.lan")).isTrue();
        HostCheck listed = check("http.host=0.0.0.0", "http.allowedHosts=[lossprism.lan]");
        assertThat(listed.allows("lossprism.lan")).isTrue();
        assertThat(listed.allows("localhost")).isTrue();
        assertThat(listed.allows("evil.example")).isFalse();
    }
}
