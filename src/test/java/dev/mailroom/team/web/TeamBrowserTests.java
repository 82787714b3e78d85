package dev.mailroom.team.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Teams in a real browser: a new person creates an account from the invitation link and lands on
 * the team's mailboxes (scenario A); the owner invites and removes members from Manage members,
 * reached through the profile menu, and the removal names the mailboxes it deletes.
 */
@MailroomTest
class TeamBrowserTests extends BrowserTest {

	static final String PW = "Sturdy-Team-Pass-8";

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
	}

	@Test
	void scenarioA_aNewPersonCreatesAnAccountFromTheLinkAndLandsOnTheTeamsMailboxes() {
		TestApi.Tenant team = api.newTenant("team");
		String newcomer = email("newcomer");
		String link = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", newcomer))
			.text("link");

		// the link as emailed: it carries the proof of the inbox (the inviter's copy has none)
		driver.get(link + "?proof=" + api.emailedInviteProof(newcomer, link.substring(link.lastIndexOf('/') + 1)));
		assertThat(browser.text("#team-name")).isEqualTo("Org " + team.ownerEmail());
		assertThat(browser.text("#team-owner")).isEqualTo("Owner");
		assertThat(browser.text("#team-recipient")).isEqualTo(newcomer);
		WebElement emailField = driver.findElement(By.id("team-account-email"));
		assertThat(emailField.getAttribute("value")).as("prefilled with the invited address").isEqualTo(newcomer);
		driver.findElement(By.id("team-account-name")).sendKeys("Nina Newcomer");
		driver.findElement(By.id("team-account-password")).sendKeys(PW);
		browser.screenshotFullPage("team-invitation");
		driver.findElement(By.id("create-and-join")).click();

		wait.until(ExpectedConditions.urlToBe(base + "/mail"));
		assertThat(browser.text("#flash")).contains("Welcome to Org " + team.ownerEmail());
		assertThat(browser.text(".account-email")).isEqualTo(newcomer);
		var members = api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items");
		assertThat(members.size()).isEqualTo(2);
		assertThat(members.get(1).get("email").asString()).isEqualTo(newcomer);
		assertThat(members.get(1).get("name").asString()).isEqualTo("Nina Newcomer");
		assertThat(members.get(1).get("role").asString()).isEqualTo("member");

		// a member's profile menu offers Usage, not Manage members, which answers 403
		driver.findElement(By.cssSelector("#profile-menu > summary")).click();
		assertThat(driver.findElements(By.id("menu-members"))).isEmpty();
		driver.findElement(By.id("menu-usage")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/team/usage"));
		assertThat(browser.text("#per-member")).contains("Your share").contains(newcomer);
		driver.get(base + "/team/members");
		assertThat(driver.getPageSource()).contains("403");
		// the used link answers 410 on purpose; the member page 403
		assertThat(browser.consoleErrors("status of 410", "status of 403")).isEmpty();
	}

	@Test
	void theOwnerInvitesAndRemovesMembersFromManageMembers() {
		TestApi.Tenant team = api.newTenant("team");
		String domain = api.activeDomain(team, "web");
		String domainId = api.bearer(team.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		String member = email("member");
		var sent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", member));
		String token = URI.create(sent.text("link")).getPath().replace("/invite/", "");
		api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(member, token, PW, "Max Member"));
		String key = api.basic("POST", "/api/v1/api-keys", member, PW,
				Map.of("name", "k", "scopes", List.of("mailboxes:write"))).text("token");
		api.bearer(key, "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "max", "password", PW));
		String userId = api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items").get(1)
			.get("user_id").asString();

		driver.get(base + "/signin");
		browser.signIn(team.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
		driver.findElement(By.cssSelector("#profile-menu > summary")).click();
		driver.findElement(By.id("menu-members")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/team/members"));
		assertThat(browser.text("#seats")).isEqualTo("2 of 5 seats used");
		assertThat(browser.text("#member-" + userId)).contains("Max Member").contains(member).contains("Team Member");

		String colleague = email("colleague");
		driver.findElement(By.id("invite-email")).sendKeys(colleague);
		driver.findElement(By.id("send-invite")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Invitation sent to " + colleague));
		assertThat(browser.text("#invitations")).contains(colleague).contains("Pending");
		assertThat(browser.text("#seats")).isEqualTo("3 of 5 seats used");
		browser.screenshotFullPage("team-members");

		driver.findElement(By.cssSelector("#member-" + userId + " .remove-member")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/team/members/" + userId + "/remove"));
		assertThat(browser.text("#doomed-mailboxes")).contains("max@" + domain);
		driver.findElement(By.id("remove-confirmed")).click();
		// the box must be ticked first: the browser's own check keeps the form here
		assertThat(driver.getCurrentUrl()).isEqualTo(base + "/team/members/" + userId + "/remove");
		driver.findElement(By.id("remove-confirm")).click();
		driver.findElement(By.id("remove-confirmed")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/team/members"));
		assertThat(browser.text("#flash")).contains(member + " was removed").contains("max@" + domain);
		assertThat(driver.findElements(By.id("member-" + userId))).isEmpty();
		assertThat(browser.consoleErrors()).isEmpty();
	}
}
