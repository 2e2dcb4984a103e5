package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void userInfoInUrlsIsMasked() {
        assertThat(Redaction.text("http://user:pass@host/hook")).isEqualTo("http://***@host/hook");
        assertThat(Redaction.text("https://token@hooks.example:8443/a?b=c"))
                .isEqualTo("https://***@hooks.example:8443/a?b=c");
        assertThat(Redaction.text("failed: url=http://u:p@h/x cause=refused"))
                .isEqualTo("failed: url=http://***@h/x cause=refused");
        assertThat(Redaction.text("http://host/hook?user=a@b")).isEqualTo("http://host/hook?user=a@b");
        assertThat(Redaction.text("mail me: someone@example.org")).isEqualTo("mail me: someone@example.org");
    }

    @Test
    void credentialsInQueriesAreMasked() {
        assertThat(Redaction.text("https://h/hook?token=abc&x=1&api_key=k2#f"))
                .isEqualTo("https://h/hook?token=***&x=1&api_key=***#f");
        assertThat(Redaction.text("https://h/hook?X-Auth-Token=abc")).isEqualTo("https://h/hook?X-Auth-Token=***");
    }

    @Test
    void keysNamedLikeCredentialsAreMaskedWholly() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("alerts.webhooks", List.of("http://user:pass@host/hook", "http://plain/hook"));
        config.put("http.token", "abcdefghijklmnopqrstuvwxyz");
        config.put("notify", Map.of("password", "hunter2", "apiKey", List.of("k1"), "url", "http://a:b@c/"));
        config.put("training.epochs", 5);
        config.put("alerts.token", "");

        assertThat(Redaction.map(config))
                .containsEntry("alerts.webhooks", List.of("http://***@host/hook", "http://plain/hook"))
                .containsEntry("http.token", "***")
                .containsEntry("notify", Map.of("password", "***", "apiKey", List.of("***"), "url", "http://***@c/"))
                .containsEntry("training.epochs", 5)
                .containsEntry("alerts.token", "");
    }

    @Test
    void noOrdinaryKeyIsTakenForACredential() {
        assertThat(ConfigSchema.paths().stream().filter(Redaction::isSecretKey)).containsExactly("http.token");
    }
}
