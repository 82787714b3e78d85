package dev.mailroom.webmail;

import java.time.Duration;

import dev.mailroom.BrowserTest;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writing in a real Chromium: the draft is saved as the person types and survives a reload, and a
 * message written with formatting goes out as text and HTML.
 */
@MailPlaneTest
class WebmailComposeBrowserE2E extends BrowserTest {

	private static final String PW = MailTenant.PASSWORD;

	@Autowired
	MailroomSettings settings;

	@BeforeEach
	void mailPlane() throws Exception {
		MailPlane.ensureStarted(settings);
	}

	@Test
	void theDraftIsSavedWhileTypingAndSurvivesAReload() throws Exception {
		MailTenant org = MailTenant.create(port, "pro", "wcb");
		MailTenant.Box alice = org.mailbox("alice");
		driver.get(base + "/signin");
		browser.signIn(alice.address(), PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		driver.get(base + "/mail/" + alice.id());
		driver.findElement(By.id("mail-write")).click();
		wait.until(ExpectedConditions.urlContains("/compose"));
		driver.findElement(By.id("compose-to")).sendKeys("friend@example.com");
		driver.findElement(By.id("compose-subject")).sendKeys("Plans for the weekend");
		driver.findElement(By.id("compose-text")).sendKeys("Shall we go hiking?");
		wait.withTimeout(Duration.ofSeconds(20))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draft-status"), "Draft saved"));
		wait.until(ExpectedConditions.urlContains("draft="));

		driver.navigate().refresh();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compose-subject")));
		assertThat(driver.findElement(By.id("compose-to")).getAttribute("value")).isEqualTo("friend@example.com");
		assertThat(driver.findElement(By.id("compose-subject")).getAttribute("value")).isEqualTo("Plans for the weekend");
		assertThat(driver.findElement(By.id("compose-text")).getAttribute("value")).isEqualTo("Shall we go hiking?");
		// one draft in Drafts, however often it was saved
		assertThat(subjects(alice.address(), "Drafts")).containsExactly("Plans for the weekend");
	}

	@Test
	void aMessageWrittenWithFormattingGoesOutAsTextAndHtml() throws Exception {
		MailTenant org = MailTenant.create(port, "pro", "wcf");
		MailTenant.Box alice = org.mailbox("alice");
		MailTenant.Box bob = org.mailbox("bob");
		driver.get(base + "/signin");
		browser.signIn(alice.address(), PW);
		wait.until(ExpectedConditions.urlContains("/account"));
		driver.get(base + "/mail/" + alice.id() + "/compose");
		driver.findElement(By.id("compose-to")).sendKeys(bob.address());
		driver.findElement(By.id("compose-subject")).sendKeys("Formatted");
		driver.findElement(By.id("compose-text")).sendKeys("First line");
		driver.findElement(By.id("compose-formatting")).click();
		var editor = driver.findElement(By.id("compose-editor"));
		wait.until(ExpectedConditions.visibilityOf(editor));
		assertThat(driver.findElement(By.id("compose-text")).isDisplayed()).isFalse();
		editor.sendKeys(Keys.END, Keys.ENTER);
		driver.findElement(By.cssSelector("#compose-toolbar [data-command=bold]")).click();
		editor.sendKeys("very important");
		driver.findElement(By.id("compose-send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Message sent"));

		Message arrived = await().atMost(Duration.ofSeconds(20)).until(() -> find(bob.address(), "Formatted"), m -> m != null);
		assertThat(arrived.isMimeType("multipart/alternative")).isTrue();
		Multipart alternative = (Multipart) arrived.getContent();
		assertThat(String.valueOf(alternative.getBodyPart(0).getContent())).contains("First line").contains("very important");
		assertThat(String.valueOf(alternative.getBodyPart(1).getContent())).containsPattern("<(b|strong)>very important</(b|strong)>");
	}

	private static java.util.List<String> subjects(String login, String folder) throws Exception {
		try (Store store = MailPlane.imap(login, PW)) {
			Folder f = store.getFolder(folder);
			f.open(Folder.READ_ONLY);
			java.util.List<String> subjects = new java.util.ArrayList<>();
			for (Message message : f.getMessages()) {
				subjects.add(message.getSubject());
			}
			return subjects;
		}
	}

	private static Message find(String login, String subject) throws Exception {
		try (Store store = MailPlane.imap(login, PW)) {
			Folder f = store.getFolder("INBOX");
			f.open(Folder.READ_ONLY);
			for (Message message : f.getMessages()) {
				if (subject.equals(message.getSubject())) {
					return new MimeMessage((MimeMessage) message);
				}
			}
			return null;
		}
	}
}
