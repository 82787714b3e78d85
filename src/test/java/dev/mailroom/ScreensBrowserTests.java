package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Every owner page fits the screen and passes axe-core: at 1280×900 and at 390×844 no page is
 * wider than the window, at 1280 px the header is one row, and axe finds nothing serious or
 * critical. One test collects every finding, so a failure lists them all at once. (Dev mail is not
 * among the pages: the shared test context has an SMTP relay, so that page answers 404 here.)
 */
@MailroomTest
class ScreensBrowserTests extends BrowserTest {

	private static final Dimension WIDE = new Dimension(1280, 900);
	private static final Dimension PHONE = new Dimension(390, 844);
	private static final int ONE_ROW = 72;

	@Test
	void everyOwnerPageFitsTheScreenHasAOneRowHeaderAndNoSeriousAccessibilityViolations() {
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "fit");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		TestApi.Response ada = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "ada"));
		assertThat(ada.status()).as(ada.raw().body()).isEqualTo(201);
		String adaId = ada.json().get("mailbox").get("id").asString();
		TestApi.Response shared = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id",
				domainId, "local_part", "support", "display_name", "Customer Support", "members",
				List.of(Map.of("mailbox_id", adaId, "permission", "reply"))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		String sharedId = shared.text("id");
		TestApi.Response invite = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", "grace@elsewhere.test", "local_part", "grace"));
		assertThat(invite.status()).as(invite.raw().body()).isEqualTo(201);
		// a second organization, so the header carries the organization switcher too
		assertThat(api.operator("POST", "/api/v1/operator/organizations", Map.of("name", "Second Shop With A Long Name",
				"plan", "pro", "owner", Map.of("email", tenant.ownerEmail()))).status()).isEqualTo(201);
		assertThat(api.acceptOwnership(tenant.ownerEmail(), TestApi.PASSWORD).status()).isEqualTo(200);

		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard"));
		new Select(driver.findElement(By.id("org-switch-select"))).selectByValue(tenant.orgId().toString());
		driver.findElement(By.id("org-switch-go")).click();
		wait.until(ExpectedConditions.textToBePresentInElementValue(By.id("org-switch-select"), tenant.orgId().toString()));

		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("dashboard", "/dashboard");
		pages.put("domains", "/domains");
		pages.put("mailboxes", "/mailboxes");
		pages.put("mailbox people", "/mailboxes/" + adaId + "/people");
		pages.put("shared access", "/mailboxes/" + sharedId + "/access");
		pages.put("invites", "/mailboxes/invites");
		pages.put("bulk invite", "/mailboxes/invites/bulk");
		pages.put("api keys", "/api-keys");
		pages.put("account", "/account");

		List<String> findings = new ArrayList<>();
		for (Dimension size : List.of(WIDE, PHONE)) {
			driver.manage().window().setSize(size);
			for (var page : pages.entrySet()) {
				driver.get(base + page.getValue());
				wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.topbar")));
				String where = page.getKey() + " at " + size.getWidth() + " px";
				browser.screenshotFullPage("screens-" + size.getWidth() + "-" + page.getKey().replace(' ', '-'));
				browser.horizontalOverflow().ifPresent(overflow -> findings.add(where + ": " + overflow));
				if (size.equals(WIDE)) {
					int header = driver.findElement(By.cssSelector("header.topbar")).getSize().getHeight();
					if (header > ONE_ROW) {
						findings.add(where + ": the header is " + header + " px tall, more than one row");
					}
				}
				browser.seriousViolations().forEach(violation -> findings.add(where + ": axe " + violation));
			}
		}
		assertThat(findings).as("overflow, header and axe findings").isEmpty();
	}

	@Test
	void theMenuButtonOpensTheNavigationAtPhoneWidthFromTheKeyboard() {
		TestApi.Tenant tenant = api.newTenant("starter");
		driver.manage().window().setSize(PHONE);
		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlToBe(base + "/dashboard"));

		var toggle = driver.findElement(By.id("menu-toggle"));
		assertThat(toggle.isDisplayed()).as("the menu button at 390 px").isTrue();
		assertThat(driver.findElement(By.id("sign-out")).isDisplayed()).as("Sign out is under the menu").isFalse();
		toggle.sendKeys(org.openqa.selenium.Keys.ENTER);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
		assertThat(driver.findElement(By.linkText("Domains")).isDisplayed()).isTrue();
		assertThat(browser.horizontalOverflow()).as("the open menu fits").isEmpty();

		driver.manage().window().setSize(WIDE);
		driver.navigate().refresh();
		assertThat(driver.findElement(By.id("menu-toggle")).isDisplayed())
			.as("no menu button at 1280 px").isFalse();
		assertThat(driver.findElement(By.id("sign-out")).isDisplayed()).isTrue();
		assertThat(browser.consoleErrors()).isEmpty();
	}
}
