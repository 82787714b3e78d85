package dev.mailroom.sharing.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailroom.BrowserSupport;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Shared mailboxes through a real headless Chromium: create one on the Mailboxes page with a
 * team picked from two domains (no password anywhere), its Access tab (read-only toggle checked
 * through the API, remove, the last member refused with the explanation, add people back from the
 * searchable list), converting a regular mailbox (its old password fails over HTTP Basic) and
 * converting the shared one back (password and recovery code shown once). Screenshots land in
 * {@code <build dir>/screenshots/}.
 */
@dev.mailroom.MailroomTest
class SharedMailboxBrowserTests extends dev.mailroom.BrowserTest {

	private static final String LAST_MEMBER = "A shared mailbox needs at least one member: add someone first, or delete the mailbox";


	@Test
	void createsManagesConvertsAndConvertsBackASharedMailbox() {
		TestApi.Tenant tenant = api.newTenant("starter");
		String one = api.activeDomain(tenant, "sh");
		String two = api.activeDomain(tenant, "sh");
		Created alice = mailbox(tenant, one, "alice");
		Created bob = mailbox(tenant, two, "bob");
		Created carol = mailbox(tenant, one, "carol");
		String support = "support@" + one;

		signInAsOwner(tenant);
		driver.get(base + "/mailboxes");

		// 1. Create directly → Shared: no password field at all; the team from both domains
		assertThat(driver.findElement(By.id("shared-form")).isDisplayed()).isFalse();
		driver.findElement(By.cssSelector("label[for=kind-shared]")).click();
		WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("shared-form")));
		assertThat(driver.findElement(By.id("create-form")).isDisplayed()).isFalse();
		assertThat(form.findElements(By.cssSelector("input[type=password]"))).isEmpty();
		assertThat(form.getText()).doesNotContain("Generate a strong password");
		assertThat(picks("#create-team")).containsExactlyInAnyOrder(alice.address(), bob.address(), carol.address());
		driver.findElement(By.id("shared-local-part")).sendKeys("support");
		new Select(driver.findElement(By.id("shared-domain"))).selectByVisibleText(one);
		driver.findElement(By.id("shared-display-name")).sendKeys("Customer Support");
		WebElement filter = driver.findElement(By.id("create-team-filter"));
		filter.sendKeys("bob");
		assertThat(visiblePicks("#create-team")).containsExactly(bob.address());
		pick("#create-team", bob.address()).click();
		filter.clear();
		filter.sendKeys("ALI");
		assertThat(visiblePicks("#create-team")).containsExactly(alice.address());
		pick("#create-team", alice.address()).click();
		filter.clear();
		filter.sendKeys("nobody-like-this");
		assertThat(visiblePicks("#create-team")).isEmpty();
		assertThat(driver.findElement(By.cssSelector("#create-team [data-picker-empty]")).isDisplayed()).isTrue();
		clear(filter);
		assertThat(visiblePicks("#create-team")).hasSize(3);
		assertThat(text("#create-team [data-picker-count]")).isEqualTo("2 of 3 selected");
		browser.screenshotFullPage("shared-create");
		form.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash [role=status]"),
				support + " is ready: 2 people can open it"));
		WebElement row = row(support);
		assertThat(row.findElement(By.cssSelector(".badge-shared")).getText()).isEqualTo("Shared");
		assertThat(row.findElement(By.cssSelector(".member-count")).getText()).isEqualTo("2 members");
		assertThat(row.findElements(By.cssSelector(".badge-no-members"))).isEmpty();
		assertThat(row.getText()).contains("Customer Support").contains("Active");
		assertThat(row(alice.address()).findElements(By.cssSelector(".badge-shared, .manage"))).isEmpty();
		browser.screenshotFullPage("shared-list");

		// 2. Manage → the Access tab, and no Security/password tab
		row(support).findElement(By.cssSelector("a.manage")).click();
		wait.until(ExpectedConditions.urlMatches("/mailboxes/[0-9a-f-]{36}/access$"));
		String supportId = driver.getCurrentUrl().replaceAll(".*/mailboxes/([0-9a-f-]{36})/access$", "$1");
		assertThat(text("main h1")).isEqualTo(support);
		assertThat(driver.findElements(By.cssSelector("nav.tabs .tab"))).extracting(WebElement::getText)
			.containsExactly("Access");
		assertThat(text("main")).contains("People with access").contains("Add people").doesNotContain("Password");
		assertThat(people()).containsExactlyInAnyOrder(alice.address(), bob.address());
		assertThat(person(bob).findElement(By.cssSelector("button.reply")).getAttribute("aria-pressed")).isEqualTo("true");
		assertThat(picks("#add-team")).containsExactly(carol.address());
		browser.screenshotFullPage("shared-access");

		// 3. Toggle bob to read-only; the API agrees
		person(bob).findElement(By.cssSelector("button.read-only")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash [role=status]"),
				bob.address() + " is now read-only"));
		assertThat(person(bob).findElement(By.cssSelector("button.read-only")).getAttribute("aria-pressed"))
			.isEqualTo("true");
		Map<String, String> permissions = permissions(tenant, supportId);
		assertThat(permissions).containsEntry(bob.id(), "read_only").containsEntry(alice.id(), "reply");

		// 4. Remove alice at once; removing bob, the last one, is explained
		person(alice).findElement(By.cssSelector("button.remove")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash [role=status]"),
				alice.address() + " no longer has access"));
		assertThat(people()).containsExactly(bob.address());
		assertThat(permissions(tenant, supportId)).containsOnlyKeys(bob.id());
		person(bob).findElement(By.cssSelector("button.remove")).click();
		WebElement refusal = wait.until(
				ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#people-errors [role=alert]")));
		assertThat(refusal.getText()).contains(LAST_MEMBER);
		assertThat(people()).containsExactly(bob.address());
		browser.screenshotFullPage("shared-last-member");

		// 5. Add people back from the searchable list
		assertThat(picks("#add-team")).containsExactlyInAnyOrder(alice.address(), carol.address());
		WebElement addFilter = driver.findElement(By.id("add-team-filter"));
		addFilter.sendKeys("alice");
		assertThat(visiblePicks("#add-team")).containsExactly(alice.address());
		pick("#add-team", alice.address()).click();
		clear(addFilter);
		assertThat(text("#add-team [data-picker-count]")).isEqualTo("1 of 2 selected");
		driver.findElement(By.id("add-selected")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash [role=status]"),
				alice.address() + " was added"));
		assertThat(people()).containsExactlyInAnyOrder(alice.address(), bob.address());
		assertThat(permissions(tenant, supportId)).containsEntry(alice.id(), "reply").containsEntry(bob.id(), "read_only");
		assertThat(picks("#add-team")).containsExactly(carol.address());

		// 6. Convert carol to shared from her row menu: the warning, then her old password fails
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", carol.address(), carol.password(), null).status())
			.isEqualTo(200);
		driver.get(base + "/mailboxes");
		WebElement menu = openMenu(carol.address());
		assertThat(row(support).findElements(By.cssSelector("a.convert-shared"))).isEmpty();
		assertThat(menu.getText()).contains("Convert to shared mailbox").contains("Reset password");
		browser.scrollIntoView(menu);
		browser.screenshot("shared-row-menu");
		menu.findElement(By.cssSelector("a.convert-shared")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/" + carol.id() + "/convert-to-shared"));
		assertThat(text("#convert-warning")).contains("The old password and recovery code stop working everywhere");
		assertThat(driver.findElements(By.cssSelector("#convert-form input[type=password]"))).isEmpty();
		assertThat(picks("#convert-team")).containsExactlyInAnyOrder(alice.address(), bob.address());
		// at least one member: converting with nobody ticked is refused, and nothing changes
		driver.findElement(By.cssSelector("#convert-form button[type=submit]")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("members-error")));
		assertThat(text("#members-error")).contains("Choose at least one member");
		assertThat(text("#flash [role=alert]")).isNotBlank();
		driver.findElement(By.id("convert-team-filter")).sendKeys(two);
		assertThat(visiblePicks("#convert-team")).containsExactly(bob.address());
		pick("#convert-team", bob.address()).click();
		clear(driver.findElement(By.id("convert-team-filter")));
		pick("#convert-team", alice.address()).click();
		browser.screenshotFullPage("shared-convert");
		driver.findElement(By.cssSelector("#convert-form button[type=submit]")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/" + carol.id() + "/access"));
		assertThat(text("#flash [role=status]")).contains(carol.address() + " is now a shared mailbox")
			.contains("old password and recovery code no longer work");
		assertThat(people()).containsExactlyInAnyOrder(alice.address(), bob.address());
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", carol.address(), carol.password(), null).status())
			.isEqualTo(401);
		TestApi.Response alicesMailboxes = api.basic("GET", "/api/v1/me/mailboxes", alice.address(), alice.password(),
				null);
		assertThat(alicesMailboxes.status()).isEqualTo(200);
		Map<String, String> openable = new HashMap<>();
		alicesMailboxes.json().get("items").forEach(m -> openable.put(m.get("address").asString(),
				m.get("permission").asString()));
		assertThat(openable).containsEntry(carol.address(), "reply").containsEntry(support, "reply");

		// 7. Convert support back to a regular mailbox: password and recovery code, shown once
		driver.get(base + "/mailboxes/" + supportId + "/access");
		driver.findElement(By.id("to-regular-open")).click();
		WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("to-regular-form")));
		assertThat(confirm.getText()).contains("All 2 people with access are removed");
		assertThat(driver.findElement(By.id("regular-password")).isDisplayed()).isFalse();
		browser.scrollIntoView(confirm);
		browser.screenshot("shared-to-regular-confirm");
		driver.findElement(By.id("to-regular-confirm")).click();
		WebElement converted = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("converted")));
		assertThat(converted.getText()).contains(support + " is a regular mailbox again").contains("shown only once");
		String password = text("#converted-password");
		String recoveryCode = text("#converted-recovery-code");
		assertThat(password).hasSize(20);
		assertThat(recoveryCode).matches("[A-Z0-9]+(-[A-Z0-9]+)+");
		browser.screenshotFullPage("shared-converted-back");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", support, password, null).status()).isEqualTo(200);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + supportId + "/members", null).code())
			.isEqualTo("not_a_shared_mailbox");
		driver.findElement(By.id("back-to-mailboxes")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes"));
		assertThat(driver.getPageSource()).doesNotContain(password).doesNotContain(recoveryCode);
		assertThat(row(support).findElements(By.cssSelector(".badge-shared, a.manage"))).isEmpty();
		assertThat(row(carol.address()).findElement(By.cssSelector(".member-count")).getText()).isEqualTo("2 members");
		driver.get(base + "/mailboxes/" + supportId + "/access");
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes"));

		// 8. When every member's own mailbox is deleted, the list flags it "No members"
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + alice.id(), null).status()).isEqualTo(204);
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + bob.id(), null).status()).isEqualTo(204);
		driver.get(base + "/mailboxes");
		assertThat(row(carol.address()).findElement(By.cssSelector(".badge-no-members")).getText()).isEqualTo("No members");
		assertThat(row(carol.address()).findElement(By.cssSelector(".member-count")).getText()).isEqualTo("0 members");
		browser.screenshotFullPage("shared-no-members");
		// narrow screens: the list, the create form and the Access tab (looked at, not asserted pixel by pixel)
		driver.manage().window().setSize(new Dimension(400, 900));
		browser.screenshotFullPage("shared-list-mobile");
		WebElement sharedMenu = openMenu(carol.address());
		assertThat(sharedMenu.getText()).contains("Manage access").doesNotContain("Reset password")
			.doesNotContain("Convert to shared");
		browser.screenshotFullPage("shared-menu-mobile");
		driver.findElement(By.cssSelector("label[for=kind-shared]")).click();
		browser.screenshotFullPage("shared-create-mobile");
		driver.get(base + "/mailboxes/" + carol.id() + "/access");
		assertThat(text("#no-members")).contains("Nobody can open this mailbox right now");
		browser.screenshotFullPage("shared-access-mobile");
		driver.manage().window().setSize(BrowserSupport.DESKTOP);
		assertThat(browser.consoleErrors()).isEmpty();
	}

	/** Someone who signs in to the web and owns the organization the web shows them, and an API key for it. */

	record Created(String id, String address, String password) {
	}



	private Created mailbox(TestApi.Tenant tenant, String domain, String localPart) {
		TestApi.Response domains = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null);
		String domainId = null;
		for (JsonNode each : domains.json().get("items")) {
			if (each.get("name").asString().equals(domain)) {
				domainId = each.get("id").asString();
			}
		}
		TestApi.Response created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart));
		assertThat(created.status()).isEqualTo(201);
		JsonNode mailbox = created.json().get("mailbox");
		return new Created(mailbox.get("id").asString(), mailbox.get("address").asString(), created.text("password"));
	}

	/** Each member's permission, by their mailbox id, as the API tells it. */
	private Map<String, String> permissions(TestApi.Tenant tenant, String sharedId) {
		TestApi.Response members = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId + "/members", null);
		assertThat(members.status()).isEqualTo(200);
		Map<String, String> permissions = new HashMap<>();
		members.json().get("items").forEach(m -> permissions.put(m.get("mailbox_id").asString(),
				m.get("permission").asString()));
		return permissions;
	}

	private void signInAsOwner(TestApi.Tenant tenant) {
		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlToBe(base + "/dashboard"));
	}

	/** Empties a filter box the way a person does, so the page hears it. */
	private void clear(WebElement filter) {
		filter.clear();
		filter.sendKeys(" ");
		filter.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
	}

	private List<String> picks(String picker) {
		return driver.findElements(By.cssSelector(picker + " .pick-address")).stream()
			.map(e -> e.getAttribute("textContent").strip())
			.toList();
	}

	private List<String> visiblePicks(String picker) {
		return driver.findElements(By.cssSelector(picker + " .pick-address")).stream()
			.filter(WebElement::isDisplayed)
			.map(WebElement::getText)
			.toList();
	}

	/** The checkbox of {@code address} in a picker. */
	private WebElement pick(String picker, String address) {
		return driver.findElements(By.cssSelector(picker + " .pick")).stream()
			.filter(p -> p.findElement(By.cssSelector(".pick-address")).getText().equals(address))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No pick for " + address))
			.findElement(By.cssSelector("input[type=checkbox]"));
	}

	private List<String> people() {
		return driver.findElements(By.cssSelector("#people .person-address")).stream().map(WebElement::getText).toList();
	}

	private WebElement person(Created member) {
		return driver.findElement(By.id("member-" + member.id()));
	}

	private WebElement row(String address) {
		return driver.findElements(By.cssSelector("tr.mailbox-row"))
			.stream()
			.filter(row -> row.findElement(By.cssSelector(".address")).getText().equals(address))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No row for " + address));
	}

	/** Opens the row's action menu; returns its panel. */
	private WebElement openMenu(String address) {
		WebElement menu = row(address).findElement(By.cssSelector("details.menu"));
		menu.findElement(By.cssSelector("summary")).click();
		return wait.until(ExpectedConditions.visibilityOf(menu.findElement(By.cssSelector(".menu-panel"))));
	}

	private String text(String css) {
		return browser.text(css);
	}
}
