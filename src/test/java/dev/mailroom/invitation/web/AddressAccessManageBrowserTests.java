package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.mailroom.BrowserTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * An admin shares a regular mailbox from its People &amp; sharing page: any invite needs the
 * address's own password (refused when wrong, seed 003), and a sharing link is shown once; an
 * invite for an email is listed as pending. Once a guest accepts the link, the grant is listed: toggled to reply, then revoked;
 * the pending invite is canceled.
 */
@dev.mailroom.MailroomTest
class AddressAccessManageBrowserTests extends BrowserTest {

	static final String PW = "Sturdy-Guest-Pass-8";

	@Test
	void anAdminSharesAnAddressAndManagesWhoHasIt() {
		var tenant = api.newTenant("starter");
		String domain = "people-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
		String mailboxId = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "family", "password", PW)).json().get("mailbox").get("id").asString();

		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));

		// the row's Actions menu leads to the page
		driver.get(base + "/mailboxes");
		driver.findElement(By.cssSelector("#mailbox-" + mailboxId + " .menu > summary")).click();
		driver.findElement(By.cssSelector("#mailbox-" + mailboxId + " a.people-sharing")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/" + mailboxId + "/people"));
		assertThat(browser.text("#people-page-title")).isEqualTo("family@" + domain);
		assertThat(driver.findElements(By.id("no-grants"))).hasSize(1);

		// a sharing link with a wrong password of the address (the admin's own is not it) is refused
		driver.findElement(By.id("target-link")).click();
		assertThat(driver.findElement(By.id("share-mailbox-password")).isDisplayed()).isTrue();
		driver.findElement(By.id("share-mailbox-password")).sendKeys(TestApi.PASSWORD);
		driver.findElement(By.id("share-submit")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mailbox_password-error")));
		assertThat(browser.text("#mailbox_password-error")).contains("password of family@" + domain);
		assertThat(driver.findElements(By.id("sent-link"))).isEmpty();
		assertThat(driver.findElements(By.id("no-pending"))).hasSize(1);

		// with the address's password, the link is shown once
		driver.findElement(By.id("target-link")).click();
		driver.findElement(By.id("share-mailbox-password")).sendKeys(PW);
		driver.findElement(By.id("share-submit")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sent-link")));
		String link = browser.text("#sent-link");
		assertThat(link).contains("/invite/");
		assertThat(browser.text("#sent-title")).isEqualTo("Sharing link created");
		browser.screenshotFullPage("people-sharing-link");

		// an invite for an email
		String friend = "friend-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		driver.findElement(By.id("target-email")).click();
		driver.findElement(By.id("share-recipient")).sendKeys(friend);
		driver.findElement(By.id("share-mailbox-password")).sendKeys(PW);
		driver.findElement(By.id("share-submit")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sent-title"), friend));
		assertThat(driver.findElements(By.cssSelector(".pending-row"))).hasSize(2);

		// a guest with a verified account accepts the sharing link (a sharing link cannot make one)
		String guest = "guest-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		api.signUpVerified(guest, PW, "Guest");
		var accepted = api.basic("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				guest, PW, Map.of());
		assertThat(accepted.status()).isEqualTo(200);

		driver.get(base + "/mailboxes/" + mailboxId + "/people");
		WebElement row = driver.findElement(By.cssSelector(".grant-row"));
		assertThat(row.getText()).contains(guest);
		assertThat(driver.findElements(By.cssSelector(".pending-row"))).hasSize(1);
		assertThat(browser.text(".pending-row .invite-recipient")).isEqualTo(friend);

		// toggle to reply
		row.findElement(By.cssSelector("button.segment.reply")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "can now reply"));
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json()
			.get("items").get(0).get("permission").asString()).isEqualTo("reply");
		assertThat(driver.findElement(By.cssSelector(".grant-row button.segment.reply")).getAttribute("aria-pressed"))
			.isEqualTo("true");

		// revoke, after a confirmation naming the person
		driver.findElement(By.cssSelector(".grant-row summary.revoke")).click();
		assertThat(browser.text(".grant-row .confirm-text")).contains(guest);
		driver.findElement(By.cssSelector(".grant-row button.revoke-confirmed")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-grants")));
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json()
			.get("items").size()).isZero();

		// copy the pending invite's link: the current one, not a new one
		String listed = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/access-invites", null)
			.json().get("items").get(1).get("id").asString();
		String current = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + listed + "/link", null).text("link");
		driver.findElement(By.cssSelector(".pending-row button.copy-link")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sent-link")));
		assertThat(browser.text("#sent-link")).isEqualTo(current);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + listed + "/link", null).text("link"))
			.as("copying does not rotate the link").isEqualTo(current);

		// cancel the pending email invite
		driver.findElement(By.cssSelector(".pending-row summary.cancel-invite")).click();
		driver.findElement(By.cssSelector(".pending-row button.cancel-confirmed")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-pending")));
		assertThat(browser.text("#flash")).contains("The invite to " + friend + " was canceled");
		assertThat(browser.consoleErrors()).isEmpty();
	}

}
