package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.config.ConfigLoader;
import io.lossprism.testing.Browser;
import io.lossprism.testing.TestApps;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium, following a real training run. */
class DashboardIT {

    private static LossPrismApp app;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Browser.installed()).as("chromium and chromedriver are installed (.ci/run installs them)").isTrue();
        app = TestApps.start("training.imageSize=32", "training.batchSize=4", "data.trainImages=16",
                "training.epochs=400", "alerts.warmupIterations=0");
        browser = Browser.start(1280, 800);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void pageFollowsTrainingLive() throws Exception {
        browser.get("http://127.0.0.1:" + app.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        wait.until(d -> batches() >= 3);
        int first = batches();
        long firstIteration = Long.parseLong(browser.findElement(By.id("iteration")).getText().trim());
        wait.until(d -> batches() > first + 3);
        long laterIteration = Long.parseLong(browser.findElement(By.id("iteration")).getText().trim());
        assertThat(laterIteration).isGreaterThan(firstIteration);

        assertThat(browser.findElement(By.id("state")).getText()).containsIgnoringCase("training");
        assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("open");
        for (String chart : List.of("loss-chart", "iou-chart", "composition-chart")) {
            assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
        }
        List<WebElement> rows = browser.findElements(By.cssSelector("#class-table tbody tr[data-class]"));
        assertThat(rows).extracting(r -> r.getAttribute("data-class"))
                .containsExactly("disc", "bar", "box", "ring", "speck");
        assertThat(browser.findElement(By.id("headline")).getText()).contains("Loss");
        Browser.screenshot(browser, "dashboard-1280x800");
    }

    /** An alert fired in the app appears in the panel and marks its class in the table. */
    @Test
    void firedAlertAppearsWithItsClass() throws Exception {
        browser.get("http://127.0.0.1:" + app.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(150));
        WebElement alert = wait.until(d -> d.findElements(By.cssSelector("#alerts-active li[data-state=firing]"))
                .stream().findFirst().orElse(null));
        String cls = alert.getAttribute("data-class");
        assertThat(alert.getAttribute("data-alertname")).startsWith("LossPrism");
        assertThat(alert.getText()).containsIgnoringCase("firing");
        if (!cls.isEmpty()) {
            WebElement row = browser.findElement(By.cssSelector("#class-table tr[data-class='" + cls + "']"));
            wait.until(d -> row.getAttribute("class").contains("alerted"));
        }
        Browser.screenshot(browser, "dashboard-alert-1280x800");
    }

    private int batches() {
        String value = browser.findElement(By.tagName("body")).getAttribute("data-batches");
        return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
    }
}
