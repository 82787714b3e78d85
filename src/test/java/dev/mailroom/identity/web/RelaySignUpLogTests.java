package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With a relay (the shared test context has the test SMTP server) a sign-up's link is a secret:
 * it goes by email only, never to the log, and the pages do not mention the console.
 */
@MailroomTest
@ExtendWith(OutputCaptureExtension.class)
class RelaySignUpLogTests {

	private static final Pattern VERIFY_LINK = Pattern.compile("/verify-email/([A-Za-z0-9_-]+)");

	@LocalServerPort
	int port;

	@Test
	void aSignUpLogsNoLinkWhenTheEmailIsSent(CapturedOutput output) {
		String email = "relayed-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		WebSession browser = new WebSession("http://localhost:" + port);
		browser.post("/signup", Map.of("name", "Relayed", "email", email, "password", TestApi.PASSWORD), "/signup");
		assertThat(browser.get("/signup/sent").body()).contains("Check your inbox")
			.doesNotContain("signup-no-relay")
			.doesNotContain("console log");

		var mails = TestMailServer.shared().await(email, 1, Duration.ofSeconds(20));
		Matcher link = VERIFY_LINK.matcher(TestMailServer.text(mails.getFirst()));
		assertThat(link.find()).isTrue();
		assertThat(output.getAll()).doesNotContain(link.group(1)).doesNotContain(email).doesNotContain("No SMTP relay");

		assertThat(new WebSession("http://localhost:" + port).get("/signin?resent").body())
			.contains("We sent you a new link")
			.doesNotContain("console log");
	}
}
