package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** Someone who belongs to several organizations switches between them in the top bar. */
@MailroomTest
class OrganizationSwitchBrowserTests extends BrowserTest {

	@Test
	void anOwnerOfTwoOrganizationsSwitchesBetweenThem() {
		TestApi.Tenant first = api.newTenant("starter");
		var second = api.operator("POST", "/api/v1/operator/organizations",
				Map.of("name", "Second Shop", "plan", "pro", "owner", Map.of("email", first.ownerEmail())));
		assertThat(second.status()).isEqualTo(201);
		// an email with an account owns only after accepting the emailed invitation
		assertThat(api.acceptOwnership(first.ownerEmail(), TestApi.PASSWORD).status()).isEqualTo(200);

		driver.get(base + "/signin");
		browser.signIn(first.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
		// two shared organizations: the session starts in the personal one
		assertThat(browser.text("h1")).isEqualTo("Owner");
		Select organizations = new Select(driver.findElement(By.id("org-switch-select")));
		assertThat(organizations.getOptions()).extracting(o -> o.getText())
			.containsExactlyInAnyOrder("Owner (personal)", "Org " + first.ownerEmail(), "Second Shop");

		organizations.selectByVisibleText("Second Shop");
		driver.findElement(By.id("org-switch-go")).click();
		wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Second Shop"));
		assertThat(browser.text("#flash")).contains("You are now working in Second Shop");
		// what the pages show follows the organization: the domains page of Second Shop is empty
		driver.get(base + "/domains");
		assertThat(driver.getPageSource()).doesNotContain(".example</");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void switchingToAnOrganizationOneDoesNotBelongToIsRefused() {
		TestApi.Tenant mine = api.newTenant("starter");
		TestApi.Tenant theirs = api.newTenant("starter");
		api.operator("POST", "/api/v1/operator/organizations",
				Map.of("name", "Mine Too", "plan", "pro", "owner", Map.of("email", mine.ownerEmail())));
		assertThat(api.acceptOwnership(mine.ownerEmail(), TestApi.PASSWORD).status()).isEqualTo(200);
		driver.get(base + "/signin");
		browser.signIn(mine.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
		// forge the form: another organization's id
		((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
				"document.querySelector('#org-switch-select option').value = arguments[0];", theirs.orgId().toString());
		driver.findElement(By.id("org-switch-go")).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
		assertThat(driver.getPageSource()).doesNotContain("Org " + theirs.ownerEmail());
		driver.get(base + "/dashboard");
		assertThat(browser.text("h1")).isNotEqualTo("Org " + theirs.ownerEmail());
	}
}
