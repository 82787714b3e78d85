package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A guest opens a sharing link, creates an account on the page, and the shared address is listed
 * for them read-only; revoked, it is gone. A signed-in person accepts with one click.
 */
@MailroomTest
class AddressAccessBrowserTests extends BrowserTest {

	static final String PW = "Sturdy-Guest-Pass-8";

	@Test
	void aGuestCreatesAnAccountFromTheLinkAndTheAddressIsListedUntilRevoked() {
		var tenant = api.newTenant("starter");
		String domain = "page-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
		String mailboxId = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "family", "password", PW)).json().get("mailbox").get("id").asString();
		// sent to the guest's email: the link as emailed proves that inbox, so it may make a verified account
		String guest = "cousin-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		String link = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites",
				Map.of("permission", "read_only", "recipient_email", guest, "mailbox_password", PW)).text("link");

		driver.get(link + "?proof=" + api.emailedInviteProof(guest, link.substring(link.lastIndexOf('/') + 1)));
		assertThat(browser.text("#share-address")).isEqualTo("family@" + domain);
		assertThat(browser.text("#share-permission")).isEqualTo("Read only");
		driver.findElement(By.id("share-name")).sendKeys("Cousin");
		assertThat(driver.findElement(By.id("share-email")).getAttribute("value")).as("the invited email").isEqualTo(guest);
		driver.findElement(By.id("share-password")).sendKeys(PW);
		browser.screenshotFullPage("share-link");
		driver.findElement(By.id("create-and-accept")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("shared-title")));
		assertThat(browser.text("#shared-title")).contains("family@" + domain);

		var mine = api.basic("GET", "/api/v1/me/mailboxes", guest, PW, null);
		assertThat(mine.json().get("items").get(0).get("address").asString()).isEqualTo("family@" + domain);
		assertThat(mine.json().get("items").get(0).get("permission").asString()).isEqualTo("read_only");

		// a signed-in person accepts with one click; used, the first link is gone
		driver.get(link);
		assertThat(driver.getPageSource()).contains("already used");
		String second = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites",
				Map.of("permission", "reply", "mailbox_password", PW)).text("link");
		String friend = "friend-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		api.signUpVerified(friend, PW, "Friend");
		browser.freshSession(base);
		driver.get(base + "/signin");
		browser.signIn(friend, PW);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
		driver.get(second);
		driver.findElement(By.id("accept-share")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("shared-title")));
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", friend, PW, null).json().get("items").get(0)
			.get("permission").asString()).isEqualTo("reply");

		String guestId = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json()
			.get("items").get(0).get("user_id").asString();
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + mailboxId + "/grants/" + guestId, null)
			.status()).isEqualTo(204);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", guest, PW, null).json().get("items").size()).isZero();
		// the used link answers 410 on purpose
		assertThat(browser.consoleErrors("status of 410")).isEmpty();
	}

}
