package dev.mailroom.mailbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mailroom.BrowserSupport;
import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Mailboxes pages through a real headless Chromium: create one directly (password and
 * recovery code shown once), bulk create from a CSV with a preview, archive, delete through the
 * confirmation that names the address, the recycle bin and restore, an admin password reset;
 * then the mailbox's own person: "Forgot password?" with the recovery code, signing in as the
 * mailbox, and the account page. Screenshots land in {@code <build dir>/screenshots/}.
 */
@MailroomTest
class MailboxesBrowserTests extends BrowserTest {

	private static final String BULK_PASSWORD = "Correct-Horse-42x";

	@TempDir
	Path files;


	@Test
	void createsBulkCreatesArchivesDeletesRestoresAndTheMailboxResetsItsOwnPassword() throws IOException {
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "mb");
		String alice = "alice@" + domain;

		signInAsOwner(tenant);
		driver.findElement(By.linkText("Mailboxes")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes"));
		assertThat(text("nav.nav")).containsSubsequence("Domains", "Mailboxes", "API keys");
		assertThat(text("#empty-mailboxes")).contains("No mailboxes yet — create the first one");
		assertThat(text("#create-title")).isEqualTo("Create a mailbox");
		assertThat(text(".address-input")).contains("@");
		assertThat(new Select(driver.findElement(By.id("domain")))
			.getFirstSelectedOption()
			.getText()).isEqualTo(domain);
		assertThat(text("#active-figure")).isEqualTo("0 of 300");
		// the password field shows only when the person chooses to set one
		assertThat(driver.findElement(By.id("mailbox-password")).isDisplayed()).isFalse();
		driver.findElement(By.cssSelector("label[for=password-set]")).click();
		assertThat(driver.findElement(By.id("mailbox-password")).isDisplayed()).isTrue();
		driver.findElement(By.cssSelector("label[for=password-generate]")).click();
		browser.screenshotFullPage("mailboxes-empty");

		// 1. Create one directly with a generated password: password and recovery code shown once
		driver.findElement(By.id("local-part")).sendKeys("Alice");
		driver.findElement(By.id("display-name")).sendKeys("Alice Example");
		driver.findElement(By.cssSelector("#create-form button[type=submit]")).click();
		WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created")));
		assertThat(created.getText()).contains("Mailbox created: " + alice).contains("shown only once");
		String password = text("#created-password");
		String recoveryCode = text("#created-recovery-code");
		assertThat(password).hasSize(20);
		assertThat(recoveryCode).matches("[A-Z0-9]+(-[A-Z0-9]+)+");
		assertThat(created.findElements(By.cssSelector("button[data-copy-from]"))).hasSize(2);
		WebElement aliceRow = row(alice);
		assertThat(aliceRow.getText()).contains("Alice Example").contains("Active").contains("Pool");
		assertThat(aliceRow.findElement(By.cssSelector(".badge")).getAttribute("class")).contains("badge-active");
		assertThat(text("#active-figure")).isEqualTo("1 of 300");
		browser.screenshot("mailbox-created");
		driver.navigate().refresh();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table.mailbox-table")));
		assertThat(driver.findElements(By.id("created"))).isEmpty();
		assertThat(driver.getPageSource()).doesNotContain(password).doesNotContain(recoveryCode);

		// a refused create names the problem and keeps what was typed
		driver.findElement(By.id("local-part")).sendKeys("postmaster");
		driver.findElement(By.cssSelector("#create-form button[type=submit]")).click();
		WebElement refusal = wait.until(
				ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#create-errors [role=alert]")));
		assertThat(refusal.getText()).contains("reserved");
		assertThat(driver.findElement(By.id("local-part")).getAttribute("value")).isEqualTo("postmaster");
		driver.findElement(By.id("local-part")).clear();

		// 2. Bulk create three from a CSV (BOM, CRLF, a header, one row with its own password)
		driver.findElement(By.linkText("Bulk create from CSV")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/bulk"));
		assertThat(text(".format")).contains("local_part[,password][,storage_mb]");
		assertThat(driver.findElement(By.partialLinkText("Download the example CSV")).getAttribute("href"))
			.endsWith("/examples/mailboxes.csv");
		Path csv = files.resolve("team.csv");
		Files.write(csv, ("\uFEFFlocal_part,password,storage_mb\r\nbob,,\r\ncarol," + BULK_PASSWORD
				+ ",100\r\n\r\ndave,,\r\n").getBytes(StandardCharsets.UTF_8));
		driver.findElement(By.id("csv-file")).sendKeys(csv.toString());
		browser.screenshotFullPage("bulk-upload");
		driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Check the mailboxes"));
		List<WebElement> previewRows = driver.findElements(By.cssSelector("tr.preview-row"));
		assertThat(previewRows).hasSize(3);
		assertThat(previewRows.get(0).getText()).contains("bob@" + domain).contains("Pool").contains("generated").contains("OK");
		assertThat(previewRows.get(1).getText()).contains("carol@" + domain).contains("100 MB").contains("set");
		assertThat(previewRows.get(2).getText()).contains("dave@" + domain).contains("generated");
		assertThat(text("#batch-size")).isEqualTo("3");
		assertThat(text("#room-left")).isEqualTo("99");
		assertThat(driver.getPageSource()).doesNotContain(BULK_PASSWORD);
		WebElement createBatch = driver.findElement(By.cssSelector("#create-batch button"));
		assertThat(createBatch.getText()).isEqualTo("Create 3 mailboxes");
		assertThat(createBatch.isEnabled()).isTrue();
		browser.screenshotFullPage("bulk-preview");
		createBatch.click();
		wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "3 mailboxes created"));
		List<WebElement> results = driver.findElements(By.cssSelector("tr.result-row"));
		assertThat(results).hasSize(3);
		assertThat(driver.findElements(By.cssSelector("tr.result-row .recovery-code"))).hasSize(3)
			.allSatisfy(code -> assertThat(code.getText()).matches("[A-Z0-9]+(-[A-Z0-9]+)+"));
		assertThat(driver.findElements(By.cssSelector("tr.result-row .generated-password"))).hasSize(2);
		assertThat(driver.findElements(By.cssSelector("tr.result-row button[data-copy-from]"))).hasSize(5);
		assertThat(results.get(1).getText()).contains("carol@" + domain).contains("Set in the file");
		assertThat(driver.findElement(By.id("results-csv")).getAttribute("textContent"))
			.startsWith("address,password,recovery_code")
			.hasLineCount(4)
			.contains("bob@" + domain + ",")
			.contains("carol@" + domain + ",,")
			.doesNotContain(BULK_PASSWORD);
		assertThat(driver.findElement(By.cssSelector("[data-download-from]")).getText()).isEqualTo("Download as CSV");
		browser.screenshotFullPage("bulk-created");
		driver.get(base + "/mailboxes");
		assertThat(driver.findElements(By.cssSelector("tr.mailbox-row"))).hasSize(4);
		assertThat(text("#active-figure")).isEqualTo("4 of 300");
		assertThat(text("#pool-figure")).startsWith("100 MB of 102,400 MB");

		// 3. Archive bob: the badge turns grey "Archived"
		openMenu("bob@" + domain).findElement(By.cssSelector("button.archive")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"), "is archived"));
		WebElement bob = row("bob@" + domain);
		assertThat(bob.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Archived");
		assertThat(bob.findElement(By.cssSelector(".badge")).getAttribute("class")).contains("badge-archived");
		assertThat(text("#active-figure")).isEqualTo("3 of 300");

		// 4. Admin password reset of carol: a new generated password, shown once
		WebElement carolMenu = openMenu("carol@" + domain);
		carolMenu.findElement(By.cssSelector("summary.reset")).click();
		assertThat(carolMenu.getText()).contains("Give carol@" + domain + " a new generated password?");
		carolMenu.findElement(By.cssSelector(".menu-confirm-body button[type=submit]")).click();
		WebElement reset = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reset")));
		assertThat(reset.getText()).contains("New password for carol@" + domain).contains("shown only once");
		assertThat(text("#reset-password")).hasSize(20);

		// 5. Delete dave through the confirmation that names the address
		WebElement daveMenu = openMenu("dave@" + domain);
		daveMenu.findElement(By.cssSelector("summary.delete")).click();
		WebElement confirm = daveMenu.findElement(By.cssSelector(".menu-confirm.danger .menu-confirm-body"));
		assertThat(confirm.getText())
			.contains("Move dave@" + domain + " to the recycle bin? It is purged for good after 7 days.");
		browser.scrollIntoView(confirm);
		browser.screenshot("mailbox-delete-confirmation");
		confirm.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"dave@" + domain + " was moved to the recycle bin"));
		assertThat(text("table.mailbox-table")).doesNotContain("dave@");
		assertThat(text("#recycle-bin-tab")).contains("1");
		browser.screenshotFullPage("mailboxes-list");
		// narrow screens: the table becomes a stack of rows (looked at, not asserted pixel by pixel)
		driver.manage().window().setSize(new Dimension(400, 900));
		browser.screenshotFullPage("mailboxes-mobile");
		driver.manage().window().setSize(BrowserSupport.DESKTOP);

		// 6. The recycle bin: the purge date and Restore
		driver.findElement(By.id("recycle-bin-tab")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes/recycle-bin"));
		assertThat(text("main h1")).isEqualTo("Recycle bin");
		WebElement dave = row("dave@" + domain);
		assertThat(dave.findElement(By.cssSelector(".purge-date")).getText()).isNotBlank();
		assertThat(dave.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Deleted");
		assertThat(driver.findElements(By.cssSelector("tr.mailbox-row"))).hasSize(1);
		browser.screenshotFullPage("recycle-bin");
		dave.findElement(By.cssSelector("button.restore")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"dave@" + domain + " was restored"));
		assertThat(text("#empty-bin")).contains("The recycle bin is empty");
		driver.findElement(By.linkText("Mailboxes")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/mailboxes"));
		assertThat(row("dave@" + domain).findElement(By.cssSelector(".badge")).getText()).isEqualTo("Active");

		// filters: search and status
		driver.findElement(By.id("q")).sendKeys("car");
		driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
		wait.until(ExpectedConditions.urlContains("q=car"));
		assertThat(driver.findElements(By.cssSelector("tr.mailbox-row"))).hasSize(1);
		assertThat(text("table.mailbox-table")).contains("carol@" + domain);
		driver.get(base + "/mailboxes?status=archived");
		assertThat(driver.findElements(By.cssSelector("tr.mailbox-row"))).hasSize(1);
		assertThat(text("table.mailbox-table")).contains("bob@" + domain);
		assertThat(browser.consoleErrors()).isEmpty();

		// 7. Sign out; "Forgot password?" with alice's recovery code
		driver.findElement(By.id("sign-out")).click();
		wait.until(ExpectedConditions.urlContains("/signin?signedout"));
		driver.findElement(By.id("forgot-password")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/recovery"));
		String newPassword = "Fresh-start-2026!";
		recover(alice, "AAAAA-BBBBB-CCCCC-DDDDD", newPassword);
		WebElement failure = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
		assertThat(failure.getText()).contains("The address, recovery code or new password is not valid");
		assertThat(driver.findElement(By.id("address")).getAttribute("value")).isEqualTo(alice);
		assertThat(driver.findElement(By.id("recovery-code")).getAttribute("value")).isEmpty();
		browser.screenshot("recovery-refused");
		driver.findElement(By.id("address")).clear();
		recover(alice, recoveryCode.toLowerCase(), newPassword);
		WebElement done = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-done")));
		String newCode = text("#new-recovery-code");
		assertThat(newCode).isNotEqualTo(recoveryCode).matches("[A-Z0-9]+(-[A-Z0-9]+)+");
		assertThat(done.getText()).contains("shown only once");
		browser.screenshot("recovery-done");

		// 8. Sign in as the mailbox: its home is the account page; the nav has its Mail and Account
		driver.findElement(By.id("go-sign-in")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/signin"));
		browser.signIn(alice, newPassword);
		wait.until(ExpectedConditions.urlToBe(base + "/account"));
		assertThat(driver.findElements(By.cssSelector("nav.nav a"))).extracting(WebElement::getText)
			.containsExactly("Mail", "Account");
		assertThat(text(".own-mailboxes")).contains(alice).contains("Alice Example");
		browser.screenshotFullPage("account");
		driver.get(base + "/mailboxes");
		wait.until(ExpectedConditions.urlToBe(base + "/account"));
		assertThat(text("main")).doesNotContain("bob@");

		// change the password (the wrong current one is refused next to its field)
		driver.get(base + "/account");
		driver.findElement(By.id("current-password")).sendKeys("not-my-password-at-all");
		driver.findElement(By.id("new-password")).sendKeys("Another-fresh-one-77");
		driver.findElement(By.cssSelector("#password-form button[type=submit]")).click();
		WebElement wrong = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current_password-error")));
		assertThat(wrong.getText()).contains("not right");
		driver.findElement(By.id("current-password")).sendKeys(newPassword);
		driver.findElement(By.id("new-password")).sendKeys("Another-fresh-one-77");
		driver.findElement(By.cssSelector("#password-form button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"Your password was changed"));

		// and a new recovery code, shown once
		driver.findElement(By.id("code-current-password")).sendKeys("Another-fresh-one-77");
		driver.findElement(By.cssSelector("#recovery-code-form button[type=submit]")).click();
		WebElement codeCard = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-code")));
		String thirdCode = text("#new-recovery-code");
		assertThat(thirdCode).isNotEqualTo(newCode);
		assertThat(codeCard.getText()).contains("shown only once");
		browser.screenshotFullPage("account-new-code");

		driver.findElement(By.id("sign-out")).click();
		wait.until(ExpectedConditions.urlContains("/signin?signedout"));
		browser.signIn(alice, "Another-fresh-one-77");
		wait.until(ExpectedConditions.urlToBe(base + "/account"));
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aCsvWithABadRowShowsTheLineAndCreatesNothing() throws IOException {
		TestApi.Tenant tenant = api.newTenant("free");
		String domain = api.activeDomain(tenant, "mb");
		signInAsOwner(tenant);

		driver.get(base + "/mailboxes/bulk");
		Path csv = files.resolve("bad.csv");
		Files.write(csv, "alice,,\nbob,,lots\nerin,a,b,c\n".getBytes(StandardCharsets.UTF_8));
		driver.findElement(By.id("csv-file")).sendKeys(csv.toString());
		driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
		WebElement problems = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")));
		assertThat(problems.getText()).contains("bad.csv cannot be used yet").contains("Nothing was created");
		List<String> lines = driver.findElements(By.cssSelector(".problem"))
			.stream()
			.map(WebElement::getText)
			.toList();
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).startsWith("Line 2").contains("storage_mb must be a whole number");
		assertThat(lines.get(1)).startsWith("Line 3").contains("Too many columns");
		browser.screenshotFullPage("bulk-problems");

		// a file that parses but has a row the service refuses: the preview flags it, Create stays disabled
		Path reserved = files.resolve("reserved.csv");
		Files.write(reserved, "postmaster\nzed\n".getBytes(StandardCharsets.UTF_8));
		driver.findElement(By.id("csv-file")).sendKeys(reserved.toString());
		driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Check the mailboxes"));
		WebElement flagged = driver.findElements(By.cssSelector("tr.preview-row")).getFirst();
		assertThat(flagged.getAttribute("class")).contains("row-error");
		assertThat(flagged.getText()).contains("reserved");
		assertThat(driver.findElement(By.cssSelector("#create-batch button")).isEnabled()).isFalse();
		assertThat(text("#row-problems")).contains("1 line has a problem");
		browser.screenshotFullPage("bulk-preview-refused");
		driver.findElement(By.xpath("//button[normalize-space()='Start over']")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
				"Nothing was created"));

		var listed = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null);
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json().get("items")).isEmpty();
		driver.get(base + "/mailboxes");
		assertThat(text("#empty-mailboxes")).contains("No mailboxes yet");
		assertThat(domain).isNotBlank();
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void restoringIntoAFullDomainSaysThePlanLimitWasReached() {
		TestApi.Tenant tenant = api.newTenant("free");
		String domain = api.activeDomain(tenant, "mb");
		String domainId = domainId(tenant, domain);
		List<Map<String, String>> items = java.util.stream.IntStream.rangeClosed(1, 10)
			.mapToObj(i -> Map.of("local_part", "user" + i))
			.toList();
		TestApi.Response bulk = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes:bulk",
				Map.of("domain_id", domainId, "items", items));
		assertThat(bulk.status()).isEqualTo(201);
		String first = bulk.json().get("items").get(0).get("mailbox").get("id").asString();
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + first, null).status()).isEqualTo(204);
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "newcomer")).status()).isEqualTo(201);

		signInAsOwner(tenant);
		driver.get(base + "/mailboxes/recycle-bin");
		row("user1@" + domain).findElement(By.cssSelector("button.restore")).click();
		WebElement refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#flash [role=alert]")));
		assertThat(refusal.getText()).contains("Plan limit reached").contains("10 mailboxes per domain");
		assertThat(driver.getCurrentUrl()).isEqualTo(base + "/mailboxes/recycle-bin");
		assertThat(row("user1@" + domain).getText()).contains("Deleted");
		browser.screenshotFullPage("recycle-bin-plan-limit");
	}

	@Test
	void withoutAnActiveDomainThePageSendsYouToDomains() {
		TestApi.Tenant tenant = api.newTenant("free");
		signInAsOwner(tenant);
		driver.get(base + "/mailboxes");
		assertThat(text("#no-domain")).contains("Verify a domain first");
		assertThat(driver.findElements(By.id("create-mailbox"))).isEmpty();
		browser.screenshotFullPage("mailboxes-no-domain");
		driver.findElement(By.linkText("Go to Domains")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/domains"));
	}

	/** Someone who signs in to the web and owns the organization the web shows them, and an API key for it. */



	private String domainId(TestApi.Tenant tenant, String name) {
		TestApi.Response domains = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null);
		for (var domain : domains.json().get("items")) {
			if (domain.get("name").asString().equals(name)) {
				return domain.get("id").asString();
			}
		}
		throw new AssertionError("No domain " + name);
	}

	private void signInAsOwner(TestApi.Tenant tenant) {
		driver.get(base + "/signin");
		browser.signIn(tenant.ownerEmail(), TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlToBe(base + "/dashboard"));
	}

	private void recover(String address, String code, String newPassword) {
		driver.findElement(By.id("address")).sendKeys(address);
		driver.findElement(By.id("recovery-code")).sendKeys(code);
		driver.findElement(By.id("new-password")).sendKeys(newPassword);
		driver.findElement(By.cssSelector("#recovery-form button[type=submit]")).click();
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
