package dev.mailroom;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What every browser test class shares: one headless Chromium per class, a fresh browser session
 * (no cookies) before each test, the server's base URL and an API client for setting things up.
 * Subclasses carry {@link MailroomTest} themselves, so they all share the one Spring context.
 */
public abstract class BrowserTest {

	protected static BrowserSupport browser;
	protected static WebDriver driver;

	@LocalServerPort
	protected int port;

	protected String base;
	protected TestApi api;
	protected WebDriverWait wait;

	@BeforeAll
	static void startBrowser() throws IOException {
		browser = BrowserSupport.start();
		driver = browser.driver();
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (browser != null) {
			browser.stop();
		}
	}

	@BeforeEach
	void openFreshSession() {
		base = "http://localhost:" + port;
		api = new TestApi(port);
		wait = browser.waiting();
		browser.freshSession(base);
	}
}
