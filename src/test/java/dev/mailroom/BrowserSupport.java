package dev.mailroom;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Stream;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for browser tests (the distribution's {@code chromium} and
 * {@code chromedriver}), with the small helpers they share: text of an element, screenshots
 * into {@code <build dir>/screenshots/}, and the console errors (CSP violations, script errors).
 * One per test class: {@link #start()} in {@code @BeforeAll}, {@link #stop()} in {@code @AfterAll}.
 */
public final class BrowserSupport {

	public static final Dimension DESKTOP = new Dimension(1280, 1000);

	private final ChromeDriverService service;
	private final WebDriver driver;
	private final Path profile;

	private BrowserSupport(ChromeDriverService service, WebDriver driver, Path profile) {
		this.service = service;
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Starts headless Chromium. Where Debian's chromium and chromium-driver are not installed the
	 * browser tests are skipped, so `./mvnw verify` works on any machine with a JDK — unless
	 * {@code MAILROOM_REQUIRE_BROWSER} is set (CI sets it after installing them): then they fail.
	 */
	public static BrowserSupport start() throws IOException {
		boolean installed = Files.isExecutable(Path.of("/usr/bin/chromium"))
				&& Files.isExecutable(Path.of("/usr/bin/chromedriver"));
		if (!installed && System.getenv("MAILROOM_REQUIRE_BROWSER") != null) {
			throw new IllegalStateException("MAILROOM_REQUIRE_BROWSER is set but /usr/bin/chromium or /usr/bin/chromedriver is missing");
		}
		Assumptions.assumeTrue(installed,
				"Chromium is not installed (apt-get install chromium chromium-driver): browser tests skipped");
		Path profile = Files.createTempDirectory("mailroom-chromium-");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--no-first-run", "--user-data-dir=" + profile,
				"--window-size=1280,1000");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		return new BrowserSupport(service, new ChromeDriver(service, options), profile);
	}

	public void stop() throws IOException {
		driver.quit();
		service.stop();
		try (Stream<Path> files = Files.walk(profile)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	public WebDriver driver() {
		return driver;
	}

	public WebDriverWait waiting() {
		return new WebDriverWait(driver, Duration.ofSeconds(15));
	}

	/** A clean start for a test: desktop size, no cookies for {@code base}. */
	public void freshSession(String base) {
		driver.manage().window().setSize(DESKTOP);
		driver.get(base + "/signin");
		driver.manage().deleteAllCookies();
	}

	/** Fills in and submits the sign-in form of the page shown. */
	public void signIn(String email, String password) {
		driver.findElement(By.id("email")).sendKeys(email);
		driver.findElement(By.id("password")).sendKeys(password);
		driver.findElement(By.cssSelector("main form button[type=submit]")).click();
	}

	public String text(String css) {
		return driver.findElement(By.cssSelector(css)).getText();
	}

	public void scrollIntoView(WebElement element) {
		((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
	}

	/** The severe console messages (CSP violations, script errors), minus those {@code ignoring} names. */
	public List<String> consoleErrors(String... ignoring) {
		return driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.filter(message -> !message.contains("favicon.ico"))
			.filter(message -> Stream.of(ignoring).noneMatch(message::contains))
			.toList();
	}

	/**
	 * The axe-core violations of impact serious or critical on the page shown (with the experimental
	 * label-content-name-mismatch rule), each as its rule id and the nodes' targets; frames are not
	 * tested (a sandboxed message frame is the sender's).
	 */
	public List<String> seriousViolations() {
		// label-content-name-mismatch is experimental in axe-core, off unless asked for
		AxeBuilder axe = new AxeBuilder().disableIframeTesting();
		axe.setOptions("{\"rules\": {\"label-content-name-mismatch\": {\"enabled\": true}}}");
		Results results = axe.analyze(driver);
		return results.getViolations()
			.stream()
			.filter(rule -> Set.of("serious", "critical").contains(rule.getImpact()))
			.map(BrowserSupport::describe)
			.toList();
	}

	private static String describe(Rule rule) {
		return rule.getId() + " (" + rule.getImpact() + "): "
				+ rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
	}

	/**
	 * How the page shown is wider than the window, if it is: the scroll width and the first
	 * elements reaching past the right edge; empty when it fits.
	 */
	public Optional<String> horizontalOverflow() {
		JavascriptExecutor js = (JavascriptExecutor) driver;
		long scrollWidth = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
		long innerWidth = ((Number) js.executeScript("return window.innerWidth")).longValue();
		if (scrollWidth <= innerWidth) {
			return Optional.empty();
		}
		String widest = (String) js.executeScript("""
				var w = document.documentElement.clientWidth, out = [];
				document.querySelectorAll('body *').forEach(function (e) {
				  var r = e.getBoundingClientRect();
				  if (r.right > w + 1) { out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.right)); }
				});
				return out.slice(0, 8).join(', ');""");
		return Optional.of("scroll width " + scrollWidth + " > window " + innerWidth + "; wider: " + widest);
	}

	/** As {@link #screenshot}, with the window stretched to the whole page's height first. */
	public void screenshotFullPage(String name) {
		Dimension before = driver.manage().window().getSize();
		Number height = (Number) ((JavascriptExecutor) driver)
			.executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
		driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(6000, height.intValue() + 140)));
		try {
			screenshot(name);
		}
		finally {
			driver.manage().window().setSize(before);
		}
	}

	/** Saves a screenshot of the window as {@code <build dir>/screenshots/<name>.png}. */
	public void screenshot(String name) {
		try {
			Path classes = Path.of(BrowserSupport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			Path directory = classes.getParent().resolve("screenshots");
			Files.createDirectories(directory);
			File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), directory.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | URISyntaxException e) {
			throw new IllegalStateException("Could not save the screenshot " + name, e);
		}
	}
}
