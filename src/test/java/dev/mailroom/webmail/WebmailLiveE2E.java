package dev.mailroom.webmail;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.mailroom.BrowserTest;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Mail pages in a real Chromium: new mail and unread counts arrive without a reload, the
 * keyboard shortcuts move, open and explain, the pages fit a 390 px phone, and axe-core finds no
 * serious or critical accessibility violation on them.
 */
@MailPlaneTest
class WebmailLiveE2E extends BrowserTest {

	private static final String PW = MailTenant.PASSWORD;
	private static final Duration DELIVERY = Duration.ofSeconds(20);

	@Autowired
	MailroomSettings settings;

	@BeforeEach
	void mailPlane() throws Exception {
		MailPlane.ensureStarted(settings);
	}

	@Test
	void newMailShowsABannerAndUpdatesUnreadCountsWithoutAReload() throws Exception {
		MailTenant.Box box = MailTenant.create(port, "pro", "wml").mailbox("lia");
		String first = "First " + suffix();
		MailPlane.deliver(box.address(), first);
		openInbox(box, first);
		assertThat(browser.text("#folders a[data-folder='INBOX'] .count")).isEqualTo("1");
		js("window.notReloaded = true");

		String second = "Second " + suffix();
		MailPlane.deliver(box.address(), second);
		// the page polls when the tab becomes visible again: the test says so instead of waiting a minute
		await().atMost(DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
			js("document.dispatchEvent(new Event('visibilitychange'))");
			return !driver.findElements(By.id("mail-new-show")).isEmpty();
		});

		assertThat(js("return window.notReloaded === true")).isEqualTo(true);
		assertThat(browser.text("#mail-new")).contains("1 new message").contains("Show");
		assertThat(driver.findElement(By.id("mail-new")).getAttribute("aria-live")).isEqualTo("polite");
		assertThat(browser.text("#folders a[data-folder='INBOX'] .count")).isEqualTo("2");
		assertThat(browser.text("#mailbox-switcher a.active .count")).isEqualTo("2");
		assertThat(driver.getPageSource()).doesNotContain(second);
		@SuppressWarnings("unchecked")
		var updates = (java.util.Map<String, Object>) js(
				"return fetch('/mail/" + box.id() + "/updates?folder=INBOX').then(function (r) { return r.json(); })");
		assertThat(updates).containsKeys("mailboxes", "folders").containsEntry("total", 2L);
		assertThat((Number) updates.get("newest_uid")).isNotEqualTo(0L);

		driver.findElement(By.id("mail-new-show")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message-list"), second));
		// a message opened is read: the counts around it say so at once
		driver.findElement(By.partialLinkText(second)).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-subject")));
		assertThat(browser.text("#folders a[data-folder='INBOX'] .count")).isEqualTo("1");
		assertThat(browser.text("#mailbox-switcher a.active .count")).isEqualTo("1");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void shortcutsMoveOpenAndExplain() throws Exception {
		MailTenant.Box box = MailTenant.create(port, "pro", "wmk").mailbox("kai");
		String older = "Older " + suffix();
		String newer = "Newer " + suffix();
		MailPlane.deliver(box.address(), older);
		MailPlane.deliver(box.address(), newer);
		openInbox(box, older, newer);

		keys("j");
		assertThat(currentRowText()).contains(newer);
		keys("j");
		assertThat(currentRowText()).contains(older);
		assertThat(driver.switchTo().activeElement().getText()).contains(older);
		keys("k");
		assertThat(currentRowText()).contains(newer);

		keys("/");
		assertThat(driver.switchTo().activeElement().getAttribute("name")).isEqualTo("from");
		keys("j");
		assertThat(driver.findElement(By.name("from")).getAttribute("value")).as("typing is not a shortcut").isEqualTo("j");
		driver.findElement(By.name("from")).clear();

		// the help lists what works here, and Esc closes it and gives focus back
		driver.findElement(By.id("shortcuts-open")).click();
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") != null);
		assertThat(browser.text("#shortcuts-help")).contains("Next, previous message").contains("Mark the selected message unread")
			.doesNotContain("Reply");
		keys(Keys.ESCAPE);
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") == null);
		assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("shortcuts-open");

		// the selection stayed on the newer message while focus was elsewhere
		keys("o");
		wait.until(ExpectedConditions.urlContains("/messages/"));
		assertThat(browser.text("#message-subject")).isEqualTo(newer);

		keys("?");
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") != null);
		assertThat(browser.text("#shortcuts-help")).contains("Reply").contains("Forward").contains("Back to the list")
			.doesNotContain("Next, previous message");
		keys(Keys.ESCAPE);
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") == null);

		keys("u");
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-list")));
		assertThat(driver.getCurrentUrl()).doesNotContain("/messages/");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void actionShortcutsPostTheMessageActionAndOpenCompose() throws Exception {
		MailTenant.Box box = MailTenant.create(port, "pro", "wmc").mailbox("cyd");
		String subject = "Act on me " + suffix();
		MailPlane.deliver(box.address(), subject);
		openInbox(box, subject);
		String uid = driver.findElement(By.cssSelector("#message-list tbody tr")).getAttribute("data-uid");
		String mail = "/mail/" + box.id();

		// the actions endpoint is not what this test is about: the form the key would post is caught
		catchFormPosts();
		keys("j");
		keys("u");
		assertThat(posted()).singleElement()
			.satisfies(form -> assertThat(form).containsEntry("$action", mail + "/messages/actions")
				.containsEntry("$method", "post")
				.containsEntry("folder", "INBOX")
				.containsEntry("uid", uid)
				.containsEntry("action", "unread")
				.containsKey("_csrf"));

		keys("o");
		wait.until(ExpectedConditions.urlContains("/messages/" + uid));
		catchFormPosts();
		keys("#");
		assertThat(posted()).singleElement()
			.satisfies(form -> assertThat(form).containsEntry("uid", uid).containsEntry("action", "delete"));

		String message = driver.getCurrentUrl();
		for (var key : List.of(java.util.Map.entry("r", "reply"), java.util.Map.entry("a", "reply-all"),
				java.util.Map.entry("f", "forward"))) {
			String mode = key.getValue();
			keys(key.getKey());
			wait.until(ExpectedConditions.urlContains(mail + "/compose?mode=" + mode + "&reply=" + uid + "&folder=INBOX"));
			driver.get(message);
			wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-subject")));
		}
		keys("c");
		wait.until(ExpectedConditions.urlMatches(".*" + mail + "/compose$"));
	}

	@Test
	void aReadOnlyMailboxOffersNoShortcutThatChangesIt() throws Exception {
		MailTenant org = MailTenant.create(port, "pro", "wmr");
		MailTenant.Box bob = org.mailbox("bob");
		MailTenant.Box support = org.shared("support", java.util.Map.of(bob.id(), "read_only"));
		String subject = "Customer question " + suffix();
		MailPlane.deliver(support.address(), subject);
		driver.get(base + "/signin");
		browser.signIn(bob.address(), PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		await().atMost(DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
			driver.get(base + "/mail/" + support.id());
			return driver.getPageSource().contains(subject);
		});
		assertThat(driver.findElement(By.cssSelector("[data-mail-page]")).getAttribute("data-read-only")).isEqualTo("true");

		catchFormPosts();
		keys("j");
		keys("#");
		keys("u");
		assertThat(posted()).isEmpty();
		keys("?");
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") != null);
		assertThat(browser.text("#shortcuts-help")).contains("Next, previous message").doesNotContain("Delete")
			.doesNotContain("unread").doesNotContain("Write a new message");
		keys(Keys.ESCAPE);

		keys("o");
		wait.until(ExpectedConditions.urlContains("/messages/"));
		String message = driver.getCurrentUrl();
		catchFormPosts();
		keys("r");
		keys("#");
		keys("c");
		Thread.sleep(500);
		assertThat(driver.getCurrentUrl()).isEqualTo(message);
		assertThat(posted()).isEmpty();
		keys("?");
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") != null);
		assertThat(browser.text("#shortcuts-help")).contains("Back to the list").doesNotContain("Reply")
			.doesNotContain("Delete");
	}

	@Test
	void theListAndAMessageFitA390PixelScreen() throws Exception {
		MailTenant.Box box = MailTenant.create(port, "pro", "wmn").mailbox("noa");
		String subject = "A rather long subject line that goes on and on about the quarterly numbers " + suffix();
		MailPlane.deliver(box.address(), m -> {
			m.setFrom(new jakarta.mail.internet.InternetAddress("someone.with.a.very.long.name@a-long-sender-domain.example"));
			m.setSubject(subject);
			m.setText("Hello,\n" + "averyveryverylongwordwithoutanyspacesthatmightpushthepagewide".repeat(3) + "\n");
		});
		openInbox(box, subject);
		driver.manage().window().setSize(new Dimension(390, 844));
		driver.navigate().refresh();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-list")));
		browser.screenshotFullPage("webmail-390-list");
		assertNoHorizontalScroll("list");
		assertThat(seriousViolations()).as("the list at 390 px").isEmpty();

		driver.findElement(By.partialLinkText("A rather long subject")).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-subject")));
		browser.screenshotFullPage("webmail-390-message");
		assertNoHorizontalScroll("message");

		driver.findElement(By.id("reply")).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("compose-form")));
		browser.screenshotFullPage("webmail-390-reply");
		assertNoHorizontalScroll("reply");
	}

	@Test
	void theMailPagesHaveNoSeriousOrCriticalAccessibilityViolations() throws Exception {
		MailTenant.Box box = MailTenant.create(port, "pro", "wma").mailbox("ada");
		String subject = "Accessible " + suffix();
		MailPlane.deliver(box.address(), subject);
		openInbox(box, subject);
		assertThat(seriousViolations()).as("the message list").isEmpty();

		driver.findElement(By.partialLinkText(subject)).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message-subject")));
		assertThat(seriousViolations()).as("a message").isEmpty();

		keys("?");
		wait.until(d -> d.findElement(By.id("shortcuts-help")).getAttribute("open") != null);
		assertThat(seriousViolations()).as("the shortcuts help").isEmpty();

		driver.get(base + "/mail/" + box.id() + "/compose");
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("compose-form")));
		assertThat(seriousViolations()).as("the compose form").isEmpty();
		driver.findElement(By.id("compose-formatting")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compose-editor")));
		assertThat(seriousViolations()).as("the compose form with formatting").isEmpty();
	}

	private List<String> seriousViolations() {
		// the message's own HTML is a sandboxed frame that runs no script: it is the sender's, not ours
		Results results = new AxeBuilder().disableIframeTesting().analyze(driver);
		return results.getViolations()
			.stream()
			.filter(rule -> Set.of("serious", "critical").contains(rule.getImpact()))
			.map(WebmailLiveE2E::describe)
			.toList();
	}

	private static String describe(Rule rule) {
		return rule.getId() + " (" + rule.getImpact() + "): "
				+ rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
	}

	private void assertNoHorizontalScroll(String page) {
		long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
		long clientWidth = ((Number) js("return document.documentElement.clientWidth")).longValue();
		String widest = (String) js("""
				var w = document.documentElement.clientWidth, out = [];
				document.querySelectorAll('body *').forEach(function (e) {
				  var r = e.getBoundingClientRect();
				  if (r.right > w + 1) { out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.right)); }
				});
				return out.slice(0, 8).join(', ');""");
		assertThat(scrollWidth).as("%s page scroll width; wider than the screen: %s", page, widest)
			.isLessThanOrEqualTo(390)
			.isLessThanOrEqualTo(clientWidth);
	}

	/** Signs in as the mailbox and opens its inbox once every subject has arrived. */
	private void openInbox(MailTenant.Box box, String... subjects) {
		driver.get(base + "/signin");
		browser.signIn(box.address(), PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		await().atMost(DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
			driver.get(base + "/mail/" + box.id());
			String source = driver.getPageSource();
			return List.of(subjects).stream().allMatch(source::contains);
		});
	}

	/** From now on this page's form.submit() records the form instead of sending it. */
	private void catchFormPosts() {
		js("""
				window.posted = [];
				HTMLFormElement.prototype.submit = function () {
				  var fields = { $action: this.getAttribute('action'), $method: this.method };
				  new FormData(this).forEach(function (value, name) { fields[name] = value; });
				  window.posted.push(fields);
				};""");
	}

	@SuppressWarnings("unchecked")
	private List<java.util.Map<String, Object>> posted() {
		return (List<java.util.Map<String, Object>>) js("return window.posted");
	}

	private String currentRowText() {
		return browser.text("#message-list tbody tr.current");
	}

	private void keys(CharSequence keys) {
		new Actions(driver).sendKeys(keys).perform();
	}

	private Object js(String script) {
		return ((JavascriptExecutor) driver).executeScript(script);
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}
}
