package dev.mailroom.webmail;

import java.time.Duration;

import dev.mailroom.BrowserTest;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The list's actions in a real Chromium on a phone-sized window: a plain form (no script needed)
 * whose toolbar wraps instead of overflowing.
 */
@MailPlaneTest
class WebmailActionsBrowserE2E extends BrowserTest {

	private static final String PW = MailTenant.PASSWORD;

	@Autowired
	MailroomSettings settings;

	@BeforeEach
	void startMailPlane() throws Exception {
		MailPlane.ensureStarted(settings);
	}

	@Test
	void movesASelectedMessageOnANarrowScreen() throws Exception {
		MailTenant org = MailTenant.create(port, "pro", "wab");
		MailTenant.Box box = org.mailbox("olga");
		MailPlane.deliver(box.address(), "Move me along");
		MailPlane.deliver(box.address(), "Stay right here");
		driver.manage().window().setSize(new Dimension(390, 844));
		driver.get(base + "/signin");
		browser.signIn(box.address(), PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		String inbox = base + "/mail/" + box.id();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			driver.get(inbox);
			return driver.getPageSource().contains("Move me along") && driver.getPageSource().contains("Stay right here");
		});
		Number toolbarOverflow = (Number) ((JavascriptExecutor) driver).executeScript(
				"const t = document.getElementById('mail-toolbar'); return t.scrollWidth - t.clientWidth;");
		assertThat(toolbarOverflow.intValue()).as("the toolbar wraps").isLessThanOrEqualTo(0);
		Number pageOverflow = (Number) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
		assertThat(pageOverflow.intValue()).as("nothing widens the page").isLessThanOrEqualTo(0);
		browser.screenshotFullPage("webmail-actions-390");

		String uid = driver.findElement(By.xpath("//tr[.//a[contains(., 'Move me along')]]")).getAttribute("data-uid");
		driver.findElement(By.id("select-" + uid)).click();
		new Select(driver.findElement(By.id("move-target"))).selectByVisibleText("Archive");
		driver.findElement(By.cssSelector("#mail-toolbar button[value=move]")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Message moved to Archive"));
		assertThat(driver.getPageSource()).contains("Stay right here").doesNotContain("Move me along");
		driver.get(inbox + "?folder=Archive");
		assertThat(driver.getPageSource()).contains("Move me along");
		driver.findElement(By.id("manage-folders")).click();
		browser.screenshotFullPage("webmail-actions-390-archive");
		assertThat(browser.consoleErrors()).isEmpty();
	}
}
