package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The first ten minutes on embedded defaults, in an app of its own with no SMTP relay (the shared
 * test context has one): a sign-up's verification link is in the console log, the pages say so,
 * and the link works.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoRelaySignUpTests {

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;
	static String base;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(MailroomApplication.class).run("--server.port=0",
				"--mailroom.data-dir=" + dataDir, "--logging.level.root=warn", "--logging.level.dev.mailroom=info",
				"--mailroom.operator-token=" + TestApi.OPERATOR_TOKEN, "--mailroom.outbox-poll-interval=PT1S");
		base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aSignUpLogsItsVerificationLinkAndThePagesSayWhereItIs(CapturedOutput output) throws Exception {
		String email = "first-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		WebSession browser = new WebSession(base);
		var posted = browser.post("/signup", Map.of("name", "First", "email", email, "password", TestApi.PASSWORD),
				"/signup");
		assertThat(posted.headers().firstValue("Location").orElse("")).endsWith("/signup/sent");
		String sent = browser.get("/signup/sent").body();
		assertThat(sent).contains("Check your inbox").contains("id=\"signup-no-relay\"").contains("console log");

		String line = awaitLine(output, email);
		assertThat(line).contains("INFO").contains("No SMTP relay").contains("/verify-email/");
		// the line may be plain text or JSON (structured logging without the test profile)
		java.util.regex.Matcher found = java.util.regex.Pattern.compile("https?://[^\\s\"\\\\]+/verify-email/[^\\s\"\\\\]+")
			.matcher(line);
		assertThat(found.find()).isTrue();
		String link = found.group();

		var opened = new WebSession(base).get(link.substring(link.indexOf("/verify-email/")));
		assertThat(opened.statusCode()).isEqualTo(200);

		// the viewer shows an organization's admins their organization's messages only, never an account email
		TestApi.Tenant tenant = new TestApi(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1))).newTenant("starter");
		String viewer = WebSession.signIn(base, tenant.ownerEmail(), TestApi.PASSWORD).get("/dev/mail").body();
		assertThat(viewer).doesNotContain(email).doesNotContain(link.substring(link.indexOf("/verify-email/")));

		WebSession anonymous = new WebSession(base);
		assertThat(anonymous.get("/signin?error=unverified").body()).contains("console log")
			.doesNotContain("Open the link we emailed you");
		assertThat(anonymous.get("/signin?error=link&wait=1").body()).contains("console log")
			.doesNotContain("we emailed you a sign-in link");
		String resent = new WebSession(base).get("/signin?resent").body();
		assertThat(resent).contains("This server has no mail relay: the link is in the server").contains("console log")
			.doesNotContain("We sent you a new link");
	}

	@Test
	void theViewerSaysAMessageWasKeptNotSent() throws Exception {
		TestApi api = new TestApi(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)));
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "kept");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0).get("id")
			.asString();
		String recipient = "kept-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", recipient)).status()).isEqualTo(201);
		WebSession owner = WebSession.signIn(base, tenant.ownerEmail(), TestApi.PASSWORD);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		String page = owner.get("/dev/mail").body();
		while (!page.contains("Kept here, not sent") && Instant.now().isBefore(deadline)) {
			Thread.sleep(200);
			page = owner.get("/dev/mail").body();
		}
		assertThat(page).as("a message of " + domain).contains(recipient).contains("Kept here, not sent")
			.doesNotContain(">Sent<");
	}

	private static String awaitLine(CapturedOutput output, String email) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(deadline)) {
			List<String> lines = output.getAll().lines().filter(l -> l.contains(email)).toList();
			if (!lines.isEmpty()) {
				assertThat(lines).hasSize(1);
				return lines.getFirst();
			}
			Thread.sleep(200);
		}
		throw new AssertionError("no console line for " + email + " within 20 s");
	}
}
