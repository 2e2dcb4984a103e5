package io.lossprism.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by Selenium, with flags that keep it off the network: the
 * system driver and browser are named explicitly so Selenium Manager never tries to download.
 */
public final class Browser {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browser() {}

    public static boolean installed() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    public static ChromeDriver start(int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("lossprism-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    /** Sizes the window so that the page itself (the viewport) is width x height CSS pixels. */
    public static void setViewport(ChromeDriver driver, int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        JavascriptExecutor js = driver;
        int innerWidth = ((Number) js.executeScript("return window.innerWidth")).intValue();
        int innerHeight = ((Number) js.executeScript("return window.innerHeight")).intValue();
        if (innerWidth != width || innerHeight != height) {
            driver.manage().window().setSize(new Dimension(2 * width - innerWidth, 2 * height - innerHeight));
        }
    }

    /**
     * Saves a screenshot of the whole page (not only the viewport) at the current width, by making the
     * window as tall as the page for a moment.
     */
    public static Path fullPageScreenshot(ChromeDriver driver, String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        Number height =
                (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        int chrome = before.getHeight()
                - ((Number) ((JavascriptExecutor) driver).executeScript("return window.innerHeight")).intValue();
        try {
            driver.manage()
                    .window()
                    .setSize(new Dimension(before.getWidth(), Math.min(8000, height.intValue() + chrome)));
            return screenshot(driver, name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** Saves a screenshot under target/screenshots for review. */
    public static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }
}
