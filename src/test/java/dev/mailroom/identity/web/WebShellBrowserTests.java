package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.mailroom.BrowserTest;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestDnsServer;
import dev.mailroom.TestMailServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web shell through a real headless Chromium: sign-up, dashboard, domains (DNS instructions,
 * htmx verification, deletion with confirmation), API keys (token shown once), sign-out and
 * sign-in again. Screenshots land in {@code <build dir>/screenshots/}.
 */
@MailroomTest
class WebShellBrowserTests extends BrowserTest {


	@Test
	void signsUpAddsADomainCreatesAKeyOnceAndSignsOut() throws Exception {
		String email = "robin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		String domain = "web-" + UUID.randomUUID().toString().substring(0, 8) + ".example";

		driver.get(base + "/signup");
		driver.findElement(By.id("name")).sendKeys("Robin Example");
		driver.findElement(By.id("email")).sendKeys(email);
		driver.findElement(By.id("password")).sendKeys(TestApi.PASSWORD);
		driver.findElement(By.cssSelector("main form button[type=submit]")).click();

		wait.until(ExpectedConditions.urlToBe(base + "/signup/sent"));
		assertThat(text("main")).contains("Check your inbox").contains(email);
		// not verified yet: the right password is told so, and may ask for a new link
		driver.get(base + "/signin");
		signIn(email, TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlToBe(base + "/signin?error=unverified"));
		assertThat(text("[role=alert]")).contains("not verified");
		driver.findElement(By.cssSelector("#resend-verification button")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/signin?resent"));
		var mails = TestMailServer.shared().await(email, 2, java.time.Duration.ofSeconds(20));
		assertThat(mails).hasSize(2);
		java.util.regex.Matcher link = java.util.regex.Pattern.compile("(http://localhost:\\d+/verify-email/[A-Za-z0-9_-]{64})")
			.matcher(TestMailServer.text(mails.getLast()));
		assertThat(link.find()).isTrue();
		driver.get(link.group(1));
		assertThat(text("h1")).contains("Confirm your email");
		driver.findElement(By.id("confirm-email")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/signin?verified"));
		signIn(email, TestApi.PASSWORD);
		wait.until(ExpectedConditions.urlToBe(base + "/dashboard"));
		assertThat(text(".account-email")).isEqualTo(email);
		assertThat(text("h1")).isEqualTo("Robin Example");
		assertThat(text(".plan-pill")).contains("Free");
		assertThat(text("main")).contains("Add your first domain");
		screenshot("dashboard-empty");

		driver.findElement(By.linkText("Domains")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/domains"));
		assertThat(text("#add-domain-title")).isEqualTo("Add your first domain");
		assertThat(text("main")).contains("You have no domains yet");
		assertThat(driver.findElements(By.cssSelector("article.domain"))).isEmpty();

		driver.findElement(By.id("domain-name")).sendKeys(domain);
		driver.findElement(By.cssSelector("#add-domain button[type=submit]")).click();
		WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article.domain")));
		assertThat(card.findElement(By.cssSelector(".domain-name")).getText()).isEqualTo(domain);
		assertThat(card.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Pending");
		assertThat(card.findElement(By.cssSelector(".dns-type")).getText()).isEqualTo("TXT");
		String recordName = card.findElement(By.cssSelector(".dns-name")).getText();
		String recordValue = card.findElement(By.cssSelector(".dns-value")).getText();
		assertThat(recordName).isEqualTo("_mailroom-verification." + domain);
		assertThat(recordValue).startsWith("mailroom-verification=");
		assertThat(card.findElements(By.cssSelector("button[data-copy]"))).hasSize(2);
		assertThat(text("[role=status]")).contains(domain + " was added");

		// Verify before the record exists: a friendly message inside the card, swapped in by htmx
		String cardId = card.getAttribute("id");
		card.findElement(By.cssSelector("button.verify")).click();
		WebElement message = wait.until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#" + cardId + "-message [role=alert]")));
		assertThat(message.getText()).contains("We could not find the TXT record yet")
			.contains("DNS changes can take a few minutes")
			.doesNotContain("dns_record_not_found");
		assertThat(driver.getCurrentUrl()).isEqualTo(base + "/domains");
		screenshot("domains");

		// Copy button gives feedback
		driver.findElement(By.cssSelector("#" + cardId + " button[data-copy]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#" + cardId + " button[data-copy]"),
				"Copied"));

		// Delete it through the confirmation step that names it: back to the empty state
		card.findElement(By.cssSelector("details.confirm > summary")).click();
		WebElement confirm = card.findElement(By.cssSelector(".confirm-panel"));
		assertThat(confirm.getText()).contains("Delete " + domain + "?");
		((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})",
				confirm);
		screenshot("domains-delete-confirmation");
		confirm.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"), "deleted"));
		assertThat(text("#add-domain-title")).isEqualTo("Add your first domain");
		assertThat(text("main")).doesNotContain(domain);

		// Add it again, publish the record and verify: the card turns Active in place
		driver.findElement(By.id("domain-name")).sendKeys(domain);
		driver.findElement(By.cssSelector("#add-domain button[type=submit]")).click();
		card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article.domain")));
		cardId = card.getAttribute("id");
		TestDnsServer.shared().publishTxt(card.findElement(By.cssSelector(".dns-name")).getText(),
				card.findElement(By.cssSelector(".dns-value")).getText());
		card.findElement(By.cssSelector("button.verify")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#" + cardId + " .badge"), "Active"));
		assertThat(text("#" + cardId)).contains(domain + " is verified");
		assertThat(driver.findElements(By.cssSelector("#" + cardId + " .dns-table"))).isEmpty();
		screenshot("domains-verified");

		// A refused domain keeps the input and shows the error next to the field
		driver.findElement(By.id("domain-name")).sendKeys("not a domain");
		driver.findElement(By.cssSelector("#add-domain button[type=submit]")).click();
		WebElement fieldError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-error")));
		assertThat(fieldError.getText()).isNotBlank();
		assertThat(driver.findElement(By.id("domain-name")).getAttribute("value")).isEqualTo("not a domain");
		assertThat(driver.findElement(By.id("domain-name")).getAttribute("aria-invalid")).isEqualTo("true");

		driver.findElement(By.linkText("API keys")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/api-keys"));
		assertThat(text("main")).contains("No API keys yet");
		driver.findElement(By.id("key-name")).sendKeys("CI deploy");
		// without a scope: refused, the reason shown by the form (htmx), what was typed still there
		driver.findElement(By.cssSelector("#create-key button[type=submit]")).click();
		WebElement refusal = wait.until(
				ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#create-key-errors [role=alert]")));
		assertThat(refusal.getText()).contains("Choose at least one scope");
		assertThat(driver.findElement(By.id("key-name")).getAttribute("value")).isEqualTo("CI deploy");
		driver.findElement(By.cssSelector("input[value='domains:read']")).click();
		driver.findElement(By.cssSelector("input[value='domains:write']")).click();
		driver.findElement(By.cssSelector("#create-key button[type=submit]")).click();
		String token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token"))).getText();
		assertThat(token).startsWith("mr_");
		assertThat(text(".token-card")).contains("shown only once");
		assertThat(text("table")).contains("CI deploy").contains("domains:read").contains("All domains");
		screenshot("api-keys-created");

		driver.navigate().refresh();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table")));
		assertThat(driver.findElements(By.id("new-token"))).isEmpty();
		assertThat(driver.getPageSource()).doesNotContain(token);
		assertThat(text("table")).contains("CI deploy");
		((JavascriptExecutor) driver).executeScript("document.getElementById('key-list-title').scrollIntoView()");
		screenshot("api-keys-list");

		// Mobile width: still usable (taken for a look, not asserted pixel by pixel)
		driver.manage().window().setSize(new Dimension(400, 900));
		driver.get(base + "/domains");
		screenshot("domains-mobile");
		driver.manage().window().setSize(new Dimension(1280, 1000));

		driver.get(base + "/no-such-page-" + UUID.randomUUID());
		assertThat(text("#error-title")).isEqualTo("We could not find that page");
		screenshot("not-found");
		assertThat(text("main")).doesNotContain("Exception").doesNotContain("at dev.mailroom");
		driver.get(base + "/dashboard");

		driver.findElement(By.id("sign-out")).click();
		wait.until(ExpectedConditions.urlContains("/signin?signedout"));
		assertThat(text("[role=status]")).contains("You have been signed out");
		driver.get(base + "/dashboard");
		wait.until(ExpectedConditions.urlContains("/signin"));

		signIn(email, TestApi.PASSWORD);
		// back where the sign-in interrupted: the saved request to /dashboard
		wait.until(ExpectedConditions.urlMatches("^" + base + "/dashboard(\\?continue)?$"));
		assertThat(text("#active-domains")).isEqualTo("1");
		assertThat(text("#api-key-count")).isEqualTo("1");

		// Revoke the key through its confirmation step
		driver.findElement(By.linkText("API keys")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/api-keys"));
		driver.findElement(By.cssSelector("tbody details.confirm > summary")).click();
		WebElement revoke = driver.findElement(By.cssSelector("tbody .confirm-panel"));
		assertThat(revoke.getText()).contains("Revoke CI deploy?");
		revoke.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"), "revoked"));
		assertThat(text("main")).contains("No API keys yet").doesNotContain("CI deploy");
		assertNoConsoleErrors();
	}

	@Test
	void wrongPasswordShowsAnError() {
		driver.get(base + "/");
		wait.until(ExpectedConditions.urlToBe(base + "/signin"));
		signIn("nobody-" + UUID.randomUUID() + "@example.test", "not the password at all");
		wait.until(ExpectedConditions.urlContains("error=bad"));
		assertThat(text("[role=alert]")).contains("Wrong email or password");
		assertThat(driver.findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
		screenshot("signin-error");
	}

	@Test
	void refusedSignUpShowsTheReasonNextToTheFieldAndKeepsTheInput() {
		String email = "weak-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		driver.get(base + "/signup");
		driver.findElement(By.id("name")).sendKeys("Wendy Weak");
		driver.findElement(By.id("email")).sendKeys(email);
		driver.findElement(By.id("password")).sendKeys("password123");
		driver.findElement(By.cssSelector("main form button[type=submit]")).click();

		WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
		assertThat(error.getText()).contains("too common");
		assertThat(driver.getCurrentUrl()).isEqualTo(base + "/signup");
		assertThat(driver.findElement(By.id("name")).getAttribute("value")).isEqualTo("Wendy Weak");
		assertThat(driver.findElement(By.id("email")).getAttribute("value")).isEqualTo(email);
		assertThat(driver.findElement(By.id("password")).getAttribute("value")).isEmpty();
		assertThat(driver.findElement(By.id("password")).getAttribute("aria-describedby")).contains("password-error");
		screenshot("signup-error");
	}

	private void signIn(String email, String password) {
		browser.signIn(email, password);
	}

	private WebElement domainCard(String name) {
		return driver.findElements(By.cssSelector("article.domain"))
			.stream()
			.filter(card -> card.findElement(By.cssSelector(".domain-name")).getText().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No card for " + name));
	}

	private String text(String css) {
		return browser.text(css);
	}

	/** CSP violations and script errors show up in the console. */
	private void assertNoConsoleErrors() {
		assertThat(browser.consoleErrors("/no-such-page-")).isEmpty();
	}

	private void screenshot(String name) {
		browser.screenshot(name);
	}
}
