package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The verification and ownership pages over plain HTTP (the browser flow is in WebShellBrowserTests). */
@MailroomTest
class EmailVerificationPagesTests {

	@LocalServerPort
	int port;

	TestApi api;
	String base;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		base = api.base();
	}

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@pages.test";
	}

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("");
	}

	@Test
	void theRightPasswordOfAnUnverifiedSignUpIsOfferedANewLinkAndTheLinkPageVerifiesOnlyOnPost() {
		String person = email("web");
		String first = api.signUpLink(person, TestApi.PASSWORD, "Web Person");

		WebSession stranger = new WebSession(base);
		var wrong = stranger.post("/signin", Map.of("email", person, "password", TestApi.PASSWORD + "x"), "/signin");
		assertThat(location(wrong)).endsWith("/signin?error=bad");
		assertThat(stranger.get("/signin?error=bad").body()).doesNotContain("resend-verification");
		assertThat(location(stranger.post("/signin/verification", Map.of(), "/signin"))).endsWith("/signin?resent");

		WebSession session = new WebSession(base);
		var right = session.post("/signin", Map.of("email", person, "password", TestApi.PASSWORD), "/signin");
		assertThat(location(right)).endsWith("/signin?error=unverified");
		assertThat(session.get("/signin?error=unverified").body()).contains("not verified").contains("resend-verification");
		assertThat(location(session.post("/signin/verification", Map.of(), "/signin?error=unverified")))
			.endsWith("/signin?resent");
		var mails = TestMailServer.shared().await(person, 2, Duration.ofSeconds(20));
		assertThat(mails).as("only the browser that gave the password got a new link").hasSize(2);
		Matcher link = Pattern.compile("/verify-email/([A-Za-z0-9_-]{64})").matcher(TestMailServer.text(mails.getLast()));
		assertThat(link.find()).isTrue();
		String token = link.group(1);
		assertThat(token).isNotEqualTo(first);
		assertThat(TestMailServer.html(mails.getLast())).contains("/verify-email/" + token);

		WebSession visitor = new WebSession(base);
		var page = visitor.get("/verify-email/" + token);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("confirm-email");
		assertThat(location(visitor.post("/verify-email/" + token, Map.of(), "/verify-email/" + token)))
			.endsWith("/signin?verified");
		assertThat(visitor.post("/verify-email/" + token, Map.of(), "/verify-email/" + token).body())
			.contains("verification_used");
		assertThat(visitor.post("/verify-email/" + first, Map.of(), "/verify-email/" + first).body())
			.as("the older link died").contains("verify-gone");
		WebSession.signIn(base, person, TestApi.PASSWORD);
	}

	@Test
	void anExistingAccountAcceptsOwnershipOnThePage() {
		String owner = email("own");
		api.signUpVerified(owner, TestApi.PASSWORD, "Owner To Be");
		var org = api.operator("POST", "/api/v1/operator/organizations", Map.of("name", "Paged Org", "plan", "pro", "owner",
				Map.of("email", owner, "password", "Unused-Password-123", "name", "X")));
		assertThat(org.text("owner_status")).isEqualTo("invited");
		var mails = TestMailServer.shared().await(owner, 2, Duration.ofSeconds(20));
		Matcher link = Pattern.compile("/ownership/([A-Za-z0-9_-]{64})").matcher(TestMailServer.text(mails.getLast()));
		assertThat(link.find()).isTrue();
		String path = "/ownership/" + link.group(1);

		assertThat(location(new WebSession(base).get(path))).as("sign in first").contains("/signin");
		WebSession session = WebSession.signIn(base, owner, TestApi.PASSWORD);
		var page = session.get(path);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Paged Org").contains("accept-ownership");
		assertThat(location(session.post(path, Map.of(), path))).endsWith("/dashboard");
		assertThat(session.get("/dashboard").body()).contains("Paged Org");
		assertThat(session.get(path).statusCode()).isEqualTo(410);
	}
}
