package dev.mailroom.webmail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.BrowserTest;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile HTML message read in a real Chromium: it runs nothing and fetches nothing (a local HTTP
 * server counts every request it would make) until "Show images", which lets remote images through
 * and still nothing else; its inline (cid:) image shows.
 */
@MailPlaneTest
class WebmailBrowserE2E extends BrowserTest {

	private static final String PW = MailTenant.PASSWORD;
	/** A 1×1 PNG. */
	private static final byte[] PIXEL = java.util.Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

	@Autowired
	MailroomSettings settings;

	HttpServer tracker;
	final List<String> fetched = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startTracker() throws Exception {
		MailPlane.ensureStarted(settings);
		tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		tracker.createContext("/", exchange -> {
			fetched.add(exchange.getRequestURI().getPath());
			exchange.getResponseHeaders().add("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, PIXEL.length);
			exchange.getResponseBody().write(PIXEL);
			exchange.close();
		});
		tracker.start();
	}

	@AfterEach
	void stopTracker() {
		tracker.stop(0);
	}

	@Test
	void aHostileMessageRunsNothingAndFetchesNothingUntilImagesAreShown() throws Exception {
		MailTenant org = MailTenant.create(port, "pro", "wmb");
		MailTenant.Box box = org.mailbox("eve");
		String mailboxId = box.id();
		String eve = box.address();
		String t = "http://127.0.0.1:" + tracker.getAddress().getPort();
		String html = """
				<html><head><style>@import url(%1$s/import.css); body { background: url(%1$s/body.png) }</style>
				<link rel="stylesheet" href="%1$s/link.css"><meta http-equiv="refresh" content="0;url=%1$s/refresh"></head>
				<body onload="fetch('%1$s/onload')">
				<p id="greeting">Hello from a newsletter</p>
				<script>document.title = 'pwned'; fetch('%1$s/script');</script>
				<img id="remote" src="%1$s/remote.png" alt="remote" onerror="fetch('%1$s/onerror')">
				<img id="inline" src="cid:logo@example" alt="logo">
				<a id="js-link" href="javascript:fetch('%1$s/js')">click me</a>
				<div id="styled" style="background:url(%1$s/css.png); color: red">styled</div>
				<form action="%1$s/form" method="post"><input name="q" value="x"><button id="go">Go</button></form>
				<iframe src="%1$s/frame"></iframe><object data="%1$s/object"></object>
				<svg onload="fetch('%1$s/svg')"><image href="%1$s/svg-image.png"/></svg>
				</body></html>""".formatted(t);
		String subject = "Newsletter " + UUID.randomUUID().toString().substring(0, 8);
		MailPlane.deliver(eve, m -> {
			MimeMultipart related = new MimeMultipart("related");
			MimeBodyPart body = new MimeBodyPart();
			body.setContent(html, "text/html; charset=utf-8");
			related.addBodyPart(body);
			MimeBodyPart logo = new MimeBodyPart();
			logo.setDataHandler(new DataHandler(new ByteArrayDataSource(PIXEL, "image/png")));
			logo.setContentID("<logo@example>");
			logo.setDisposition("inline");
			related.addBodyPart(logo);
			m.setSubject(subject);
			m.setContent(related);
		});

		driver.get(base + "/signin");
		browser.signIn(eve, PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			driver.get(base + "/mail/" + mailboxId);
			return driver.getPageSource().contains(subject);
		});
		driver.findElement(By.partialLinkText(subject)).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("remote-blocked")));
		WebElement frame = driver.findElement(By.id("message-body"));
		assertThat(frame.getAttribute("sandbox")).doesNotContain("allow-scripts").doesNotContain("allow-same-origin")
			.doesNotContain("allow-forms");

		driver.switchTo().frame(frame);
		// the sanitiser keeps no ids: elements are found by what they show
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//p[contains(., 'Hello from a newsletter')]")));
		assertThat(driver.findElements(By.cssSelector(
				"script, iframe, object, form, link, meta[http-equiv], svg, body style, [onload], [onerror], [onclick]")))
			.isEmpty();
		// the one style element is the frame's own (fonts), not the message's
		assertThat(driver.findElements(By.cssSelector("style"))).hasSize(1);
		assertThat(driver.findElement(By.cssSelector("img[alt=logo]")).getAttribute("src")).startsWith("data:image/png;base64,");
		assertThat(driver.findElement(By.cssSelector("img[alt=remote]")).getAttribute("src")).isNullOrEmpty();
		assertThat(driver.findElement(By.partialLinkText("click me")).getAttribute("href")).isNullOrEmpty();
		assertThat(driver.findElement(By.xpath("//div[contains(., 'styled')]")).getAttribute("style")).doesNotContain("url(");
		driver.switchTo().defaultContent();
		// nothing reached the tracker, and the page around was not touched
		Thread.sleep(1500);
		assertThat(fetched).isEmpty();
		assertThat(driver.getTitle()).isNotEqualTo("pwned").contains(subject);

		// "Show images": the remote image and the style's url() load, nothing that runs or submits does
		driver.findElement(By.id("show-images")).click();
		wait.until(ExpectedConditions.urlContains("images=true"));
		await().atMost(Duration.ofSeconds(10)).until(() -> fetched.contains("/remote.png"));
		Thread.sleep(1000);
		assertThat(fetched).allMatch(path -> path.equals("/remote.png") || path.equals("/css.png"));
	}
}
