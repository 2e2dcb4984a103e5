package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.Browser;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The runs view, the compare view and the new-run form in a real headless Chromium against the real
 * server, with two short real runs (32 px, 6 iterations each) that differ in their learning rate.
 * The screenshots of the runs and compare views go to target/screenshots; with
 * {@code -Dlossprism.docScreenshots=true} also to docs/ (the README shows those).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsViewIT {

    private static final String TOKEN = "runs-view-it-control-token";
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 820;
    private static final long SCREENSHOT_LIMIT_BYTES = 150_000;
    private static final Duration RUN_TIME = Duration.ofMinutes(4);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LossPrismApp app;
    private static ChromeDriver browser;
    private static String first;
    private static String second;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Browser.installed())
                .as("chromium and chromedriver are installed (.ci/run installs them)")
                .isTrue();
        app = TestApps.start(
                "training.imageSize=32",
                "training.batchSize=4",
                "data.trainImages=8",
                "data.validationImages=4",
                "training.epochs=3",
                "monitor.validationEveryIterations=2",
                "monitor.samplesEveryIterations=0",
                "http.token=" + TOKEN);
        first = app.runs().currentRunId();
        awaitState(first, "finished");
        HttpResponse<String> created =
                send("POST", "/api/runs", "{\"overrides\": [\"training.learningRate=0.01\"]}", TOKEN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        second = new JsonObject(created.body()).getString("id");
        awaitState(second, "finished");
        browser = Browser.start(WIDTH, HEIGHT);
        Browser.setViewport(browser, WIDTH, HEIGHT);
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

    /** Both runs are listed with their counters and per-class IoU; a run is renamed through the page. */
    @Test
    @Order(1)
    void runsViewListsBothRunsAndRenamesOne() throws Exception {
        open("/?view=runs#token=" + TOKEN);
        WebDriverWait wait = waiting();
        wait.until(d -> "2".equals(d.findElement(By.id("runs-page")).getAttribute("data-runs")));
        List<String> ids = browser.findElements(By.cssSelector("#runs-table tbody tr[data-run]")).stream()
                .map(r -> r.getAttribute("data-run"))
                .toList();
        assertThat(ids).as("newest first").containsExactly(second, first);
        for (String id : ids) {
            WebElement row = row(id);
            assertThat(row.findElement(By.cssSelector("td[data-col=iteration]")).getText())
                    .isEqualTo("6");
            assertThat(row.getAttribute("data-state")).isEqualTo("finished");
            assertThat(row.findElement(By.cssSelector("td.loss")).getText()).isEqualTo("binary cross-entropy");
            assertThat(row.findElements(By.cssSelector("td[data-col=train] li[data-class]")))
                    .extracting(li -> li.getAttribute("data-class"))
                    .containsExactly("disc", "bar", "box", "ring", "speck");
            assertThat(row.findElements(By.cssSelector("td[data-col=validation] li[data-class]")))
                    .hasSize(5);
        }

        // the start column sorts newest first by default; its header reverses that
        browser.findElement(By.cssSelector("#runs-table th[data-sort=createdAt] button"))
                .click();
        assertThat(browser.findElement(By.cssSelector("#runs-table th[data-sort=createdAt]"))
                        .getAttribute("aria-sort"))
                .isEqualTo("ascending");
        assertThat(browser.findElements(By.cssSelector("#runs-table tbody tr[data-run]")).stream()
                        .map(r -> r.getAttribute("data-run"))
                        .toList())
                .containsExactly(first, second);

        row(first).findElement(By.cssSelector("button.run-edit-button")).click();
        WebElement name = wait.until(d -> d.findElement(By.id("edit-name-" + first)));
        name.clear();
        name.sendKeys("baseline lr 0.001");
        browser.findElement(By.id("edit-notes-" + first)).sendKeys("the seed's settings");
        browser.findElement(By.cssSelector("tr.edit-row[data-run='" + first + "'] button[type=submit]"))
                .click();
        wait.until(d -> row(first).getText().contains("baseline lr 0.001"));
        JsonObject stored =
                new JsonObject(send("GET", "/api/runs/" + first, null, null).body());
        assertThat(stored.getString("name")).isEqualTo("baseline lr 0.001");
        assertThat(stored.getString("notes")).isEqualTo("the seed's settings");

        browser.executeScript(
                "document.activeElement.blur(); document.querySelector('#runs-page .table-wrap').scrollLeft = 0");
        screenshot(browser.findElement(By.cssSelector("#runs-page .runs-card")), "runs-view");

        // tick both (the first ticked is the baseline) and open the compare view from the page
        row(first).findElement(By.cssSelector("input.run-pick")).click();
        row(second).findElement(By.cssSelector("input.run-pick")).click();
        browser.findElement(By.id("runs-compare")).click();
        wait.until(d -> d.getCurrentUrl().contains("compare=" + first + "," + second));
    }

    /**
     * The compare view draws both runs' curves, lists the differing configuration key, and its table's
     * differences are the stored reports' values at the latest common iteration.
     */
    @Test
    @Order(2)
    void compareViewDrawsBothRunsAndItsTableMatchesTheReports() throws Exception {
        open("/?compare=" + first + "," + second);
        WebDriverWait wait = waiting();
        wait.until(d -> "true".equals(d.findElement(By.id("compare-page")).getAttribute("data-loaded")));
        wait.until(d -> "6".equals(d.findElement(By.id("compare-table")).getAttribute("data-iteration")));
        assertThat(attr("compare-chart", "data-runs")).isEqualTo("2");
        assertThat(attr("compare-chart", "data-series")).isEqualTo("10");
        wait.until(d -> colouredPixels("#compare-chart canvas") > 200);
        assertThat(browser.findElements(By.cssSelector("#compare-compositions figure[data-run]")))
                .extracting(f -> f.getAttribute("data-run"))
                .containsExactly(first, second);
        assertThat(browser.findElement(By.cssSelector("#compare-diff tr[data-key='training.learningRate']"))
                        .getText())
                .contains("0.01");

        checkTableAgainstReports("train", 6, "iou");
        // the README's picture: curves, differences and table (the compositions would double its size)
        browser.executeScript("document.getElementById('compare-compositions').closest('section').hidden = true");
        Browser.setViewport(browser, WIDTH, 1600); // an element is captured only as far as the viewport reaches
        screenshot(browser.findElement(By.id("compare-page")), "compare-view");
        Browser.setViewport(browser, WIDTH, HEIGHT);
        browser.executeScript("document.getElementById('compare-compositions').closest('section').hidden = false");

        // Dice at an iteration the user picks, then the validation split
        browser.findElement(By.cssSelector("#compare-metric input[value=dice]")).click();
        WebElement pick = browser.findElement(By.id("compare-iteration"));
        pick.clear();
        pick.sendKeys("4", Keys.TAB);
        wait.until(d -> "4".equals(d.findElement(By.id("compare-table")).getAttribute("data-iteration"))
                && "dice".equals(d.findElement(By.id("compare-table")).getAttribute("data-metric")));
        checkTableAgainstReports("train", 4, "dice");

        browser.findElement(By.cssSelector("#compare-split input[value=validation]"))
                .click();
        wait.until(d -> d.getCurrentUrl().contains("split=validation"));
        wait.until(d -> "6".equals(d.findElement(By.id("compare-table")).getAttribute("data-iteration")));
        checkTableAgainstReports("validation", 6, "dice");

        // a class filter hides that class's curves for both runs
        browser.findElement(By.cssSelector("#compare-classes input[value=speck]"))
                .click();
        wait.until(d -> "8".equals(d.findElement(By.id("compare-chart")).getAttribute("data-series")));
    }

    /**
     * The form shows the server's message for a bad value, needs the token, and starts the run with it;
     * the runs view lists the new run and will not delete it while it trains, then deletes it once stopped.
     */
    @Test
    @Order(3)
    void newRunFormRefusesABadValueAndStartsARunWithTheToken() throws Exception {
        open("/?view=runs");
        WebDriverWait wait = waiting();
        wait.until(d -> "2".equals(d.findElement(By.id("runs-page")).getAttribute("data-runs")));
        row(second).findElement(By.cssSelector("button.run-new-button")).click();
        wait.until(d -> "true".equals(d.findElement(By.id("new-run-form")).getAttribute("data-ready")));
        assertThat(browser.findElement(By.id("nr-training-learningRate")).getAttribute("value"))
                .as("prefilled from the run")
                .isEqualTo("0.01");
        assertThat(browser.findElement(By.id("nr-training-imageSize")).getAttribute("value"))
                .isEqualTo("32");

        WebElement size = browser.findElement(By.id("nr-training-imageSize"));
        size.clear();
        size.sendKeys("100");
        String expected = new JsonObject(
                        send("POST", "/api/runs", "{\"overrides\": [\"training.imageSize=100\"]}", TOKEN)
                                .body())
                .getString("error");
        assertThat(expected).startsWith("training.imageSize: must be a multiple of 16");
        setToken(TOKEN);
        browser.findElement(By.id("new-run-start")).click();
        wait.until(d -> "400".equals(attr("new-run-status", "data-status")));
        assertThat(text("new-run-status")).isEqualTo(expected);

        size.clear();
        size.sendKeys("32");
        new Select(browser.findElement(By.id("nr-training-loss"))).selectByValue("bce_dice");
        WebElement epochs = browser.findElement(By.id("nr-training-epochs"));
        epochs.clear();
        epochs.sendKeys("1000"); // trains until stopped below
        setToken("");
        browser.findElement(By.id("new-run-start")).click();
        wait.until(d -> "401".equals(attr("new-run-status", "data-status")));
        assertThat(text("new-run-status")).contains("control token");
        assertThat(runIds()).hasSize(2);

        setToken(TOKEN);
        browser.findElement(By.id("new-run-name")).sendKeys("bce_dice try");
        browser.findElement(By.id("new-run-start")).click();
        wait.until(d -> "201".equals(attr("new-run-status", "data-status")));
        String third = attr("new-run-status", "data-run-id");
        assertThat(runIds()).contains(third).hasSize(3);
        JsonObject run =
                new JsonObject(send("GET", "/api/runs/" + third, null, null).body());
        assertThat(run.getJsonObject("config").getString("training.loss")).isEqualTo("bce_dice");
        assertThat(run.getJsonObject("config").getValue("training.learningRate").toString())
                .isEqualTo("0.01");
        assertThat(run.getJsonObject("config").getValue("training.epochs").toString())
                .isEqualTo("1000");
        assertThat(run.getString("name")).isEqualTo("bce_dice try");
        assertThat(text("new-run-status")).contains("Started run " + third);

        browser.findElement(By.id("new-run-cancel")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#runs-table tbody tr[data-run='" + third + "']"))
                .isEmpty());
        assertThat(row(third).findElement(By.cssSelector("button.run-delete")).isEnabled())
                .as("the training run cannot be deleted")
                .isFalse();
        assertThat(send("POST", "/api/runs/" + third + "/stop", null, TOKEN).statusCode())
                .isEqualTo(200);
        awaitState(third, "stopped");
        browser.findElement(By.id("runs-refresh")).click();
        wait.until(
                d -> row(third).findElement(By.cssSelector("button.run-delete")).isEnabled());
        row(third).findElement(By.cssSelector("button.run-delete")).click();
        assertThat(text("runs-status")).contains("Confirm delete");
        row(third).findElement(By.cssSelector("button.run-delete")).click();
        wait.until(d -> d.findElements(By.cssSelector("#runs-table tbody tr[data-run='" + third + "']"))
                .isEmpty());
        assertThat(text("runs-status")).startsWith("Deleted run bce_dice try");
        assertThat(runIds()).containsExactly(second, first);
    }

    /**
     * "try a remedy" on a firing class alert opens the form with a posWeight remedy from the class's
     * pixel ratio; the started run opens the compare view of the old run and the new one. The alert and
     * the validation report come through the test hook (a 6-iteration run fires none); the report is
     * the first run's stored one, so the ratio is checked against its counts. The class is the most
     * common one, sure to have positive pixels in 4 validation images.
     */
    @Test
    @Order(4)
    void remedyFromAnAlertStartsARunAndOpensTheComparison() throws Exception {
        open("/?feed=off#token=" + TOKEN);
        WebDriverWait wait = waiting();
        wait.until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return !!window.lossprism")));
        JsonObject report = reports(first, "validation").stream()
                .map(o -> (JsonObject) o)
                .filter(r -> r.getLong("iteration") == 6)
                .findFirst()
                .orElseThrow();
        receive(new JsonObject()
                .put("type", "hello")
                .put("version", 1)
                .put("run", new JsonObject().put("id", first).put("state", "finished")));
        receive(report.copy().put("type", "batch"));
        receive(new JsonObject()
                .put("type", "alert")
                .put("alertname", "LossPrismClassIouLagging")
                .put("class", "disc")
                .put("severity", "warning")
                .put("split", "validation")
                .put("from", "pending")
                .put("to", "firing")
                .put("iteration", 6)
                .put("evidence", new JsonObject().put("classIou", 0.0)));
        WebElement remedy = wait.until(
                d -> d.findElement(By.cssSelector("#alerts-active li[data-class=disc] button.alert-remedy")));
        remedy.click();
        wait.until(d -> "true".equals(attr("new-run-form", "data-ready")));
        assertThat(attr("new-run-form", "data-remedy")).isEqualTo("posWeight");

        JsonObject disc = report.getJsonArray("classes").stream()
                .map(o -> (JsonObject) o)
                .filter(c -> "disc".equals(c.getString("name")))
                .findFirst()
                .orElseThrow();
        double positives = disc.getLong("tp") + disc.getLong("fn");
        double pixels = positives + disc.getLong("fp") + disc.getLong("tn");
        double ratio = (pixels - positives) / positives;
        List<Double> weights =
                numbers(browser.findElement(By.id("nr-training-posWeight")).getAttribute("value"));
        assertThat(weights).hasSize(5);
        assertThat(weights.get(0)).isCloseTo(ratio, within(ratio * 0.005)); // three significant digits
        assertThat(weights.subList(1, 5)).containsOnly(1.0);

        browser.findElement(By.id("new-run-start")).click();
        wait.until(d -> d.getCurrentUrl().contains("compare=" + first + ","));
        String started = browser.getCurrentUrl().replaceAll(".*compare=" + first + ",", "");
        assertThat(runIds()).contains(started);
        JsonObject run =
                new JsonObject(send("GET", "/api/runs/" + started, null, null).body());
        assertThat(numbers(run.getJsonObject("config")
                        .getValue("training.posWeight")
                        .toString()))
                .isEqualTo(weights);
        wait.until(d -> "true".equals(d.findElement(By.id("compare-page")).getAttribute("data-loaded")));
    }

    /** A stored run opens as a replay: its whole stored history drawn by the live page's views. */
    @Test
    @Order(5)
    void aStoredRunReplaysItsHistory() throws Exception {
        open("/?view=runs");
        WebDriverWait wait = waiting();
        wait.until(d -> !d.findElements(By.cssSelector("#runs-table tbody tr[data-run='" + first + "']"))
                .isEmpty());
        row(first).findElement(By.cssSelector("a.run-open")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/?replay=" + first));
        List<Integer> validation = reports(first, "validation").stream()
                .map(o -> ((JsonObject) o).getInteger("iteration"))
                .toList();
        assertThat(validation).contains(6);
        wait.until(d -> iterations("validation").equals(validation)); // loaded after the training reports
        assertThat(iterations("train")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(text("run-id")).contains(first);
        assertThat(attr("connection", "data-state")).isEqualTo("off");
        assertThat(text("state")).isEqualToIgnoringCase("finished");
        wait.until(d -> colouredPixels("#iou-chart canvas") > 50);
    }

    // ---------------------------------------------------------------- helpers

    /** A wait that looks again when the page has just redrawn what it was reading. */
    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(JavascriptException.class); // the page's test hook is not there yet
        return wait;
    }

    /** Each class's value per run in the table equals the stored report's at that iteration, and so the differences. */
    private void checkTableAgainstReports(String split, long iteration, String metric) throws Exception {
        JsonObject a = reportAt(first, split, iteration);
        JsonObject b = reportAt(second, split, iteration);
        List<WebElement> rows = browser.findElements(By.cssSelector("#compare-table tbody tr[data-class]"));
        assertThat(rows).hasSize(5);
        for (WebElement tr : rows) {
            String cls = tr.getAttribute("data-class");
            Double va = metric(a, cls, metric);
            Double vb = metric(b, cls, metric);
            String shownA = tr.findElement(By.cssSelector("td[data-run='" + first + "']"))
                    .getAttribute("data-value");
            String diff = tr.findElement(By.cssSelector("td.diff[data-run='" + second + "']"))
                    .getAttribute("data-diff");
            if (va == null || vb == null) {
                assertThat(diff).as(cls + " without a value").isEmpty();
                continue;
            }
            assertThat(Double.parseDouble(shownA)).as(cls).isCloseTo(va, within(1e-12));
            assertThat(Double.parseDouble(diff)).as(cls + " difference").isCloseTo(vb - va, within(1e-12));
        }
        // the rarest class first
        assertThat(rows.get(0).getAttribute("data-class")).isEqualTo(rarest(a));
    }

    /** The numbers of a list as text: "[1, 2.5]" or "1,2.5". */
    private static List<Double> numbers(String list) {
        List<Double> out = new ArrayList<>();
        for (String part : list.replace("[", "").replace("]", "").split(",")) {
            out.add(Double.parseDouble(part.trim()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Integer> iterations(String split) {
        return ((List<Number>) browser.executeScript("return window.lossprism.iterations(arguments[0])", split))
                .stream().map(Number::intValue).toList();
    }

    private static String rarest(JsonObject report) {
        return report.getJsonArray("classes").stream()
                .map(o -> (JsonObject) o)
                .min((x, y) -> Double.compare(x.getDouble("prevalence"), y.getDouble("prevalence")))
                .orElseThrow()
                .getString("name");
    }

    private static Double metric(JsonObject report, String cls, String metric) {
        return report.getJsonArray("classes").stream()
                .map(o -> (JsonObject) o)
                .filter(c -> cls.equals(c.getString("name")))
                .findFirst()
                .map(c -> c.getDouble(metric))
                .orElse(null);
    }

    private static JsonObject reportAt(String id, String split, long iteration) throws Exception {
        return reports(id, split).stream()
                .map(o -> (JsonObject) o)
                .filter(r -> r.getLong("iteration") == iteration)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + split + " report at " + iteration + " for " + id));
    }

    private static JsonArray reports(String id, String split) throws Exception {
        HttpResponse<String> r = send("GET", "/api/runs/" + id + "/reports?split=" + split + "&limit=1000", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonArray("reports");
    }

    private static List<String> runIds() throws Exception {
        return new JsonObject(send("GET", "/api/runs", null, null).body())
                .getJsonArray("runs").stream()
                        .map(o -> ((JsonObject) o).getString("id"))
                        .toList();
    }

    /** Polls the run's stored state (bounded): short runs on a loaded machine take from seconds to minutes. */
    private static void awaitState(String id, String state) throws Exception {
        long deadline = System.nanoTime() + RUN_TIME.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", "/api/runs/" + id, null, null);
            seen = r.statusCode() == 200 ? new JsonObject(r.body()).getString("state") : r.body();
            if (state.equals(seen)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + id + " did not become " + state + " within " + RUN_TIME + ": " + seen);
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void setToken(String token) {
        WebElement input = browser.findElement(By.id("new-run-token"));
        input.clear();
        if (!token.isEmpty()) {
            input.sendKeys(token);
        }
    }

    private void receive(JsonObject message) {
        browser.executeScript("window.lossprism.receive(arguments[0])", message.encode());
    }

    private WebElement row(String id) {
        return browser.findElement(By.cssSelector("#runs-table tbody tr[data-run='" + id + "']"));
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + app.httpPort() + path);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private String attr(String id, String name) {
        return browser.findElement(By.id(id)).getAttribute(name);
    }

    /** Pixels of a canvas in a saturated colour: drawn series, not axes, labels or grid (all grey). */
    private int colouredPixels(String canvasSelector) {
        Number n = (Number) browser.executeScript("""
                const c = document.querySelector(arguments[0]);
                if (!c || !c.width || !c.height) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  const max = Math.max(d[i], d[i + 1], d[i + 2]);
                  const min = Math.min(d[i], d[i + 1], d[i + 2]);
                  if (d[i + 3] > 0 && max - min > 60) n++;
                }
                return n;""", canvasSelector);
        return n.intValue();
    }

    /** An element's screenshot under target/screenshots (and docs/ on request), small enough for the README. */
    private static void screenshot(WebElement element, String name) throws IOException {
        byte[] png = element.getScreenshotAs(OutputType.BYTES);
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name + ".png"), png);
        assertThat((long) png.length).as(name + ".png bytes").isLessThan(SCREENSHOT_LIMIT_BYTES);
        if (Boolean.getBoolean("lossprism.docScreenshots")) {
            Files.write(Path.of("docs", name + ".png"), png);
        }
    }
}
