package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.BrowserSupport;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The bulk invite wizard in a real headless Chromium: a pasted list with an invalid email and a
 * recipient whose derived address already exists → the preview flags both and keeps Send
 * disabled → one row fixed in place, the other removed, checked again → sent → the batch page
 * follows the deliveries to the SMTP relay (GreenMail) until 100 %. And a CSV upload with a BOM,
 * Windows line ends and a bad storage value: the line's problem is shown and nothing is sent.
 * Screenshots land in {@code <build dir>/screenshots/}.
 */
@dev.mailroom.MailroomTest
class BulkInviteWizardBrowserTests extends dev.mailroom.BrowserTest {

	TestApi.Tenant tenant;
	String domainId;
	String domain;
	TestMailServer mail = TestMailServer.shared();

	@BeforeEach
	void setUp() {
		tenant = api.newTenant("starter");
		domain = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null).status())
			.isEqualTo(200);
	}

	@Test
	void pastedListPreviewFlagsRowsThatAreFixedInPlaceThenSentWithLiveProgressTo100Percent() {
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "taken", "password", "Good-password-123")).status())
			.isEqualTo(201);
		String at = "@r" + UUID.randomUUID().toString().substring(0, 8) + ".test";
		String ann = "ann" + at;
		String ben = "Ben.Stone" + at;
		String taken = "taken" + at;
		String cy = "cy" + at;
		String invalid = "not-an-email";

		signInAsOwner();
		driver.get(base + "/mailboxes/invites");
		driver.findElement(By.id("bulk-invites")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/invites/bulk"));
		assertThat(text("h1")).isEqualTo("Bulk invites");
		assertThat(text("#bulk-invite-form")).contains("500");
		assertThat(driver.findElement(By.id("example-csv")).getAttribute("href")).endsWith("/examples/invites.csv");
		browser.screenshotFullPage("bulk-invites-wizard");

		driver.findElement(By.id("bulk-list"))
			.sendKeys(String.join("\n", ann, ben, invalid, taken, cy));
		driver.findElement(By.id("bulk-preview")).click();
		wait.until(ExpectedConditions.urlContains("/mailboxes/invites/bulk?key="));

		// the preview: one row per recipient, the derived mailbox editable, two rows flagged
		assertThat(driver.findElements(By.cssSelector("tr.invite-preview-row"))).hasSize(5);
		assertThat(localPartOf(ben).getAttribute("value")).isEqualTo("ben.stone");
		assertThat(previewRow(invalid).getText()).contains("Invalid email");
		assertThat(previewRow(taken).getText()).contains("Address exists").contains("taken@" + domain + " already exists");
		assertThat(previewRow(ann).getText()).contains("Ready");
		assertThat(text("#row-problems")).contains("2 rows need attention");
		assertThat(text("#batch-size")).isEqualTo("5");
		assertThat(text("#bulk-summary")).containsIgnoringCase("Existing").containsIgnoringCase("Slots left").contains("MB available");
		assertThat(send().isEnabled()).isFalse();
		assertThat(send().getText()).isEqualTo("Send 5 invites");
		browser.screenshotFullPage("bulk-invites-preview-flagged");

		// fix one row in place, check again: that flag is gone, the other stays
		WebElement localPart = localPartOf(taken);
		localPart.clear();
		localPart.sendKeys("tess");
		submit(driver.findElement(By.id("check-again")));
		assertThat(previewRow(taken).getText()).contains("Ready");
		assertThat(localPartOf(taken).getAttribute("value")).isEqualTo("tess");
		assertThat(text("#row-problems")).contains("1 row needs attention");
		assertThat(send().isEnabled()).isFalse();

		// remove the other
		WebElement remove = previewRow(invalid).findElement(By.cssSelector("button.remove-row"));
		browser.scrollIntoView(remove);
		submit(remove);
		assertThat(driver.findElements(By.cssSelector("tr.invite-preview-row"))).hasSize(4);
		assertThat(text("#flash")).contains(invalid + " was removed");
		submit(driver.findElement(By.id("check-again")));
		assertThat(driver.findElement(By.id("all-clear")).isDisplayed()).isTrue();
		assertThat(driver.findElements(By.id("row-problems"))).isEmpty();
		assertThat(send().isEnabled()).isTrue();
		assertThat(send().getText()).isEqualTo("Send 4 invites");
		assertThat(localPartOf(taken).getAttribute("value")).isEqualTo("tess");
		browser.screenshotFullPage("bulk-invites-preview-ready");
		driver.manage().window().setSize(new Dimension(400, 900));
		browser.screenshotFullPage("bulk-invites-preview-400");
		driver.manage().window().setSize(BrowserSupport.DESKTOP);

		send().click();
		wait.until(ExpectedConditions.urlMatches("^" + base + "/mailboxes/invites/batches/[0-9a-f-]{36}$"));
		assertThat(text("#flash")).contains("4 invites were created");
		assertThat(driver.findElement(By.id("batch-bar")).getTagName()).isEqualTo("progress");
		assertThat(driver.findElements(By.cssSelector("tr.batch-row"))).hasSize(4);

		// every email reaches the relay, and the page follows by itself (htmx polling) to 100 %
		for (String recipient : List.of(ann, ben.toLowerCase(), taken, cy)) {
			assertThat(mail.await(recipient, 1, Duration.ofSeconds(20))).hasSize(1);
		}
		new WebDriverWait(driver, Duration.ofSeconds(20))
			.until(ExpectedConditions.textToBe(By.id("progress-percent"), "100 %"));
		assertThat(text("#count-sent")).isEqualTo("4");
		assertThat(text("#count-queued")).isEqualTo("0");
		assertThat(text("#count-failed")).isEqualTo("0");
		WebElement bar = driver.findElement(By.id("batch-bar"));
		assertThat(bar.getAttribute("value")).isEqualTo("4");
		assertThat(bar.getAttribute("max")).isEqualTo("4");
		// done: polling stopped
		WebElement live = driver.findElement(By.id("batch-progress"));
		assertThat(live.getAttribute("data-state")).isEqualTo("done");
		assertThat(live.getAttribute("hx-trigger")).isNull();
		assertThat(driver.findElements(By.cssSelector("tr.batch-row .delivery-sent"))).hasSize(4);
		assertThat(text("#batch-progress")).contains("tess@" + domain).contains("ben.stone@" + domain);
		browser.screenshotFullPage("bulk-invites-batch-done");
		driver.manage().window().setSize(new Dimension(400, 900));
		browser.screenshotFullPage("bulk-invites-batch-400");
		driver.manage().window().setSize(BrowserSupport.DESKTOP);

		// the invites through the API: exactly these four, one batch
		JsonNode items = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites", null).json().get("items");
		List<String> recipients = new ArrayList<>();
		items.forEach(item -> recipients.add(item.get("recipient_email").asString()));
		assertThat(recipients).containsExactlyInAnyOrder(ann, ben.toLowerCase(), taken, cy);

		// the same actions as single invites: the Invites page filtered by the batch
		driver.findElement(By.id("manage-batch")).click();
		wait.until(ExpectedConditions.urlContains("/mailboxes/invites?batch_id="));
		assertThat(text("#batch-filter")).contains("one batch");
		assertThat(driver.findElements(By.cssSelector("tr.invite-row"))).hasSize(4);
		assertThat(driver.findElements(By.cssSelector("tr.invite-row details.menu"))).hasSize(4);

		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aCsvWithBomCrlfAndABadStorageValueShowsTheLineAndSendsNothing() throws IOException {
		String at = "@r" + UUID.randomUUID().toString().substring(0, 8) + ".test";
		Path csv = Files.createTempFile("invites-", ".csv");
		try {
			Files.write(csv, ("\uFEFFEmail,Storage_MB\r\nann" + at + ",100\r\nben" + at + ",lots\r\ncy" + at + ",\r\n")
				.getBytes(StandardCharsets.UTF_8));

			signInAsOwner();
			driver.get(base + "/mailboxes/invites/bulk");
			driver.findElement(By.id("bulk-file")).sendKeys(csv.toAbsolutePath().toString());
			driver.findElement(By.id("bulk-preview")).click();
			WebElement problems = wait
				.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")));
			assertThat(driver.getCurrentUrl()).isEqualTo(base + "/mailboxes/invites/bulk");
			assertThat(problems.getText()).contains(csv.getFileName().toString() + " cannot be used yet")
				.contains("Nothing was sent");
			List<WebElement> lines = problems.findElements(By.cssSelector("li.problem"));
			assertThat(lines).hasSize(1);
			assertThat(lines.getFirst().getText()).contains("Line 3").contains("storage_mb must be a whole number");
			browser.screenshotFullPage("bulk-invites-csv-problem");
			driver.manage().window().setSize(new Dimension(400, 900));
			browser.screenshotFullPage("bulk-invites-csv-problem-400");
			driver.manage().window().setSize(BrowserSupport.DESKTOP);

			JsonNode items = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites", null).json().get("items");
			assertThat(items.size()).isZero();
			assertThat(browser.consoleErrors()).isEmpty();
		}
		finally {
			Files.deleteIfExists(csv);
		}
	}

	private void signInAsOwner() {
		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
	}

	/** Clicks a button of a plain form and waits for the next page. */
	private void submit(WebElement button) {
		WebElement page = driver.findElement(By.tagName("main"));
		browser.scrollIntoView(button);
		button.click();
		wait.until(driver -> gone(page));
		wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
	}

	/**
	 * Whether the old page's element left the document. Chromedriver sometimes answers a check on a
	 * node of the page being replaced with "Node with given id does not belong to the document"
	 * (an unknown error) instead of a stale element: that also means it is gone.
	 */
	private static boolean gone(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (org.openqa.selenium.StaleElementReferenceException e) {
			return true;
		}
		catch (org.openqa.selenium.WebDriverException e) {
			if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
				return true;
			}
			throw e;
		}
	}

	private WebElement send() {
		return driver.findElement(By.id("send-batch"));
	}

	private WebElement previewRow(String email) {
		return driver.findElements(By.cssSelector("tr.invite-preview-row"))
			.stream()
			.filter(row -> email.equals(row.findElement(By.cssSelector("input.row-email")).getAttribute("value")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No preview row for " + email));
	}

	private WebElement localPartOf(String email) {
		return previewRow(email).findElement(By.cssSelector("input.row-local-part"));
	}

	private String text(String css) {
		return browser.text(css);
	}
}
