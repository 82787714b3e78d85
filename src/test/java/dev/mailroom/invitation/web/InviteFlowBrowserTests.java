package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.BrowserSupport;
import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Mailbox setup invites through a real headless Chromium: the owner invites from the Invites
 * page, the email arrives at the SMTP relay (GreenMail), and the person follows the link from the
 * email body in a fresh browser: availability as they type, refused choices shown by the fields,
 * the recovery code once, signed in. Then the management actions: Resend (the old link dies),
 * Copy link (not rotated), Edit recipient, Cancel through its confirmation, and bulk actions.
 * Screenshots land in {@code <build dir>/screenshots/}.
 */
@MailroomTest
class InviteFlowBrowserTests extends BrowserTest {

	private static final Pattern LINK = Pattern.compile("(http://localhost:\\d+/invite/[A-Za-z0-9_-]{64})");
	private static final String PASSWORD = "Sturdy-Invitee-Pass-4";
	/** The console notes the 410 of a dead link's page: expected, not an error of the page. */
	private static final String GONE = "the server responded with a status of 410";

	TestApi.Tenant tenant;
	String domainId;
	String domain;
	TestMailServer mail = TestMailServer.shared();

	@BeforeEach
	void setUp() {
		tenant = api.newTenant("starter");
		domain = "flow-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null).status())
			.isEqualTo(200);
	}

	@Test
	void theOwnerInvitesAndThePersonSetsUpTheirMailboxFromTheLinkInTheEmail() {
		String recipient = "dana-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "taken", "password", "Good-password-123")).status())
			.isEqualTo(201);

		signInAsOwner();
		driver.findElement(By.linkText("Invites")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/invites"));
		assertThat(text("nav.nav")).containsSubsequence("Mailboxes", "Invites").doesNotContain("Dev mail");
		assertThat(text("#no-invites")).contains("No invites yet");
		assertThat(new Select(driver.findElement(By.id("invite-domain"))).getFirstSelectedOption().getText())
			.isEqualTo(domain);
		assertThat(new Select(driver.findElement(By.id("invite-expiry"))).getFirstSelectedOption().getText())
			.isEqualTo("30 days");
		browser.screenshotFullPage("invites-empty");

		// an address that is not one: refused by the form, what was typed still there
		driver.findElement(By.id("recipient-email")).sendKeys("not an address");
		driver.findElement(By.id("send-invite")).click();
		WebElement refusal = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#invite-errors [role=alert]")));
		assertThat(refusal.getText()).contains("valid email address");
		assertThat(driver.findElement(By.id("recipient-email")).getAttribute("value")).isEqualTo("not an address");

		driver.findElement(By.id("recipient-email")).clear();
		driver.findElement(By.id("recipient-email")).sendKeys(recipient);
		driver.findElement(By.id("send-invite")).click();
		WebElement sent = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sent-invite")));
		assertThat(sent.getText()).contains("Invite sent to " + recipient);
		String shownLink = text("#sent-link");
		assertThat(shownLink).matches(LINK);
		WebElement row = inviteRow(recipient);
		assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Setup pending");
		assertThat(row.findElement(By.cssSelector(".badge")).getAttribute("class")).contains("badge-pending");
		assertThat(row.getText()).contains(domain).contains("They choose the address").contains("Once");
		browser.screenshotFullPage("invites-sent");

		// the Mailboxes page tells that a slot is held by a pending invite
		driver.get(base + "/mailboxes");
		assertThat(text("#pending-invites")).contains("Setup pending").contains("1 invited person has not set up");
		driver.get(base + "/mailboxes/invites");

		// the link comes from the email itself
		String link = linkInEmail(recipient, 1);
		assertThat(link).isEqualTo(shownLink);
		// the delivery state follows the outbox: "Sent" once the relay took it
		wait.until(d -> {
			d.navigate().refresh();
			return inviteRow(recipient).findElement(By.cssSelector(".delivery-cell")).getText().equals("Sent");
		});

		// the person, in a browser of their own
		browser.freshSession(base);
		driver.get(link);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("accept-form")));
		assertThat(text("#invite-title")).isEqualTo("Set up your mailbox");
		assertThat(text("#invite-domain")).isEqualTo(domain);
		assertThat(text("#invite-organization")).isEqualTo("Org " + tenant.ownerEmail());
		assertThat(text("#invite-inviter")).isEqualTo("Owner");
		assertThat(text("#invite-expires")).endsWith("UTC");
		assertThat(text(".domain-suffix")).isEqualTo("@" + domain);
		assertThat(text("#password-rules")).contains("At least 10 characters");
		assertThat(driver.findElements(By.cssSelector(".topbar .nav"))).isEmpty();

		WebElement localPart = driver.findElement(By.id("local-part"));
		localPart.sendKeys("taken");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("local-part-status"), "taken"));
		assertThat(driver.findElement(By.id("local-part-status")).getAttribute("class")).contains("is-unavailable");
		browser.screenshot("invite-link-taken");
		localPart.clear();
		localPart.sendKeys("dana");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("local-part-status"), "✓ available"));
		browser.screenshot("invite-link-available");

		// refused: the address is taken (kept in the field, the reason next to it)
		localPart.clear();
		localPart.sendKeys("taken");
		driver.findElement(By.id("password")).sendKeys(PASSWORD);
		driver.findElement(By.id("password-confirmation")).sendKeys(PASSWORD);
		driver.findElement(By.id("create-mailbox")).click();
		WebElement takenError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("local_part-error")));
		assertThat(takenError.getText()).contains("already used");
		assertThat(driver.findElement(By.id("local-part")).getAttribute("value")).isEqualTo("taken");
		assertThat(driver.findElement(By.id("local-part")).getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(driver.findElement(By.id("password")).getAttribute("value")).isEmpty();
		browser.screenshot("invite-link-refused");

		// refused: a weak password
		localPart = driver.findElement(By.id("local-part"));
		localPart.clear();
		localPart.sendKeys("dana");
		driver.findElement(By.id("password")).sendKeys("password123");
		driver.findElement(By.id("password-confirmation")).sendKeys("password123");
		driver.findElement(By.id("create-mailbox")).click();
		WebElement weak = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
		assertThat(weak.getText()).contains("too common");
		assertThat(driver.findElement(By.id("local-part")).getAttribute("value")).isEqualTo("dana");

		driver.findElement(By.id("password")).sendKeys(PASSWORD);
		driver.findElement(By.id("password-confirmation")).sendKeys(PASSWORD);
		driver.findElement(By.id("create-mailbox")).click();

		// the recovery code, once; "Continue" waits for "I have saved it"
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mailbox-ready")));
		assertThat(text("#new-address")).isEqualTo("dana@" + domain);
		String recoveryCode = text("#recovery-code");
		assertThat(recoveryCode).matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){3}");
		assertThat(text("#mailbox-ready")).contains("shown only once");
		assertThat(driver.findElement(By.id("recovery-file")).getAttribute("textContent")).contains(recoveryCode)
			.contains("dana@" + domain);
		WebElement proceed = driver.findElement(By.id("continue"));
		assertThat(proceed.isEnabled()).isFalse();
		// "land in webmail ready to go": Continue opens the new mailbox's inbox
		assertThat(driver.findElement(By.id("continue-form")).getAttribute("action")).matches(
				java.util.regex.Pattern.quote(base) + "/mail/[0-9a-f-]{36}");
		browser.screenshot("invite-recovery-code");
		driver.findElement(By.id("copy-recovery-code")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("copy-recovery-code"), "Copied"));
		driver.findElement(By.id("download-recovery-code")).click();
		driver.findElement(By.cssSelector("label[for=saved-it]")).click();
		assertThat(proceed.isEnabled()).isTrue();
		proceed.click();

		// signed in as the new mailbox, on the Mail page (no mail plane in this suite: it says so)
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mail-not-connected")));
		assertThat(text(".account-email")).isEqualTo("dana@" + domain);
		driver.get(base + "/account");
		assertThat(text("main")).contains("dana@" + domain);
		assertThat(driver.getPageSource()).doesNotContain(recoveryCode);
		browser.screenshot("invite-account");

		// the link is used up: a page that says so, and no code again
		driver.get(link);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-gone")));
		assertThat(text("#gone-title")).contains("already used");
		assertThat(driver.getPageSource()).doesNotContain(recoveryCode);
		assertThat(browser.consoleErrors(GONE)).isEmpty();

		// the API agrees: an active mailbox, an accepted invite
		JsonNode mailboxes = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=dana", null).json().get("items");
		assertThat(mailboxes).hasSize(1);
		assertThat(mailboxes.get(0).get("address").asString()).isEqualTo("dana@" + domain);
		assertThat(mailboxes.get(0).get("status").asString()).isEqualTo("active");
		JsonNode invite = onlyInvite(recipient);
		assertThat(invite.get("status").asString()).isEqualTo("accepted");
		assertThat(invite.get("mailbox_id").asString()).isEqualTo(mailboxes.get(0).get("id").asString());
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "dana@" + domain, PASSWORD, null).status()).isEqualTo(200);

		// the owner sees it accepted
		browser.freshSession(base);
		signInAsOwner();
		driver.get(base + "/mailboxes/invites");
		WebElement accepted = inviteRow(recipient);
		assertThat(accepted.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Accepted");
		assertThat(accepted.findElement(By.cssSelector(".badge")).getAttribute("class")).contains("badge-active");
		assertThat(accepted.findElements(By.cssSelector("details.menu"))).isEmpty();
		assertThat(accepted.findElements(By.cssSelector("input[name=ids]"))).isEmpty();
	}

	@Test
	void resendKillsTheOldLinkCopyLinkDoesNotRotateItAndCancelAsksFirst() {
		String recipient = "erin-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		String id = sendThroughApi(recipient);
		String first = linkInEmail(recipient, 1);

		signInAsOwner();
		driver.get(base + "/mailboxes/invites");
		openMenu(id);
		row(id).findElement(By.cssSelector("button.resend")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"A new invitation was sent to " + recipient));
		assertThat(row(id).getText()).contains("2 times");
		String second = linkInEmail(recipient, 2);
		assertThat(second).isNotEqualTo(first);

		// Copy link: the current link, fetched into the menu; fetching it changes nothing
		openMenu(id);
		row(id).findElement(By.cssSelector("button.copy-link")).click();
		WebElement copied = wait.until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#invite-" + id + "-link .invite-link")));
		assertThat(copied.getText()).isEqualTo(second);
		browser.scrollIntoView(copied);
		browser.screenshot("invites-copy-link");
		row(id).findElement(By.cssSelector("#invite-" + id + "-link button[data-copy]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(
				By.cssSelector("#invite-" + id + "-link button[data-copy]"), "Copied"));
		assertThat(mail.messagesTo(recipient)).hasSize(2);

		// the old link is dead, the new one works
		driver.get(first);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-gone")));
		assertThat(text("#gone-title")).isEqualTo("Link expired — ask for a new invite");
		assertThat(driver.findElements(By.id("accept-form"))).isEmpty();
		browser.screenshot("invite-link-gone");
		driver.get(second);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("accept-form")));

		// Cancel, through the confirmation that names the recipient
		driver.get(base + "/mailboxes/invites");
		openMenu(id);
		row(id).findElement(By.cssSelector("summary.cancel-invite")).click();
		WebElement confirm = row(id).findElement(By.cssSelector(".menu-confirm.danger .menu-confirm-body"));
		assertThat(confirm.getText()).contains("Cancel the invite to " + recipient + "?");
		browser.scrollIntoView(confirm);
		browser.screenshot("invites-cancel-confirmation");
		confirm.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"), "was canceled"));
		assertThat(row(id).findElement(By.cssSelector(".badge")).getText()).isEqualTo("Canceled");
		assertThat(row(id).findElement(By.cssSelector(".badge")).getAttribute("class")).contains("badge-muted");
		assertThat(onlyInvite(recipient).get("status").asString()).isEqualTo("canceled");
		driver.get(second);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-gone")));
		assertThat(text("#gone-title")).contains("ask for a new invite");
		assertThat(browser.consoleErrors(GONE)).isEmpty();
	}

	@Test
	void editRecipientResendsToTheNewAddressAndBulkActionsReportEachInvite() {
		String old = "frank-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		String corrected = "frank-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		String id = sendThroughApi(old);
		String oldLink = linkInEmail(old, 1);

		signInAsOwner();
		driver.get(base + "/mailboxes/invites");
		openMenu(id);
		row(id).findElement(By.cssSelector("summary.edit-recipient")).click();
		WebElement email = row(id).findElement(By.cssSelector("input[name=recipient_email]"));
		assertThat(email.getAttribute("value")).isEqualTo(old);
		email.clear();
		email.sendKeys(corrected);
		browser.scrollIntoView(email);
		browser.screenshot("invites-edit-recipient");
		row(id).findElement(By.cssSelector(".recipient-form button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"The invite now goes to " + corrected));
		assertThat(row(id).findElement(By.cssSelector(".recipient")).getText()).isEqualTo(corrected);
		String newLink = linkInEmail(corrected, 1);
		assertThat(api.anonymous("GET", "/invite/" + tokenOf(oldLink), null).status()).isEqualTo(410);
		assertThat(api.anonymous("GET", "/invite/" + tokenOf(newLink), null).status()).isEqualTo(200);

		// bulk: resend two, one of them already canceled → each invite's own outcome
		String second = sendThroughApi("gina-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
		String third = sendThroughApi("hank-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
		driver.get(base + "/mailboxes/invites");
		row(id).findElement(By.cssSelector("input[name=ids]")).click();
		row(second).findElement(By.cssSelector("input[name=ids]")).click();
		row(third).findElement(By.cssSelector("input[name=ids]")).click();
		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + third + "/cancel", null);
		new Select(driver.findElement(By.id("bulk-action"))).selectByVisibleText("Resend invites");
		driver.findElement(By.id("bulk-apply")).click();
		WebElement outcome = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bulk-outcome")));
		assertThat(text("#bulk-title")).isEqualTo("Resend invites: 2 of 3 done");
		List<WebElement> lines = outcome.findElements(By.cssSelector(".outcome"));
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0).getText()).contains(corrected).contains("Resent");
		assertThat(lines.get(2).getText()).contains("Not pending any more");
		assertThat(lines.get(2).getAttribute("class")).contains("refused");
		browser.screenshotFullPage("invites-bulk-outcome");
		assertThat(api.anonymous("GET", "/invite/" + tokenOf(newLink), null).status()).isEqualTo(410);

		// select all + Cancel invites
		driver.findElement(By.id("select-all")).click();
		assertThat(driver.findElements(By.cssSelector("input[name=ids]:checked"))).hasSize(2);
		new Select(driver.findElement(By.id("bulk-action"))).selectByVisibleText("Cancel invites");
		driver.findElement(By.id("bulk-apply")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-title"), "Cancel invites: 2 of 2 done"));
		assertThat(driver.findElements(By.cssSelector(".badge-pending"))).isEmpty();
		assertThat(driver.findElements(By.cssSelector(".invite-row .badge-muted"))).hasSize(3);

		// small screens: still usable (taken for a look)
		driver.manage().window().setSize(new Dimension(400, 900));
		driver.get(base + "/mailboxes/invites");
		browser.screenshotFullPage("invites-mobile");
		driver.manage().window().setSize(BrowserSupport.DESKTOP);
		assertThat(browser.consoleErrors()).isEmpty();
	}

	private void signInAsOwner() {
		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
	}

	private String sendThroughApi(String recipient) {
		TestApi.Response sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", recipient));
		assertThat(sent.status()).isEqualTo(201);
		return sent.text("id");
	}

	/** The link in the {@code count}-th email to {@code recipient}, from its text body. */
	private String linkInEmail(String recipient, int count) {
		List<MimeMessage> messages = mail.await(recipient, count, Duration.ofSeconds(20));
		assertThat(messages).hasSize(count);
		Matcher matcher = LINK.matcher(TestMailServer.text(messages.get(count - 1)));
		assertThat(matcher.find()).as("the email carries the link").isTrue();
		return matcher.group(1);
	}

	private JsonNode onlyInvite(String recipient) {
		JsonNode items = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites", null).json().get("items");
		for (JsonNode item : items) {
			if (item.get("recipient_email").asString().equals(recipient)) {
				return item;
			}
		}
		throw new AssertionError("No invite to " + recipient);
	}

	private WebElement inviteRow(String recipient) {
		return driver.findElements(By.cssSelector("tr.invite-row"))
			.stream()
			.filter(row -> row.findElement(By.cssSelector(".recipient")).getText().equals(recipient))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No row for " + recipient));
	}

	private WebElement row(String id) {
		return driver.findElement(By.id("invite-" + id));
	}

	private void openMenu(String id) {
		WebElement summary = row(id).findElement(By.cssSelector("details.menu > summary"));
		browser.scrollIntoView(summary);
		summary.click();
	}

	private static String tokenOf(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	private String text(String css) {
		return browser.text(css);
	}
}
