package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Issue 30, item 8: "Sign in" on an invitation page brings the person back to the invitation. */
@MailroomTest
class InvitationSignInReturnTests {

	@LocalServerPort
	int port;

	@Test
	void signingInFromATeamInvitationComesBackToIt() {
		TestApi api = new TestApi(port);
		TestApi.Tenant team = api.newTenant("team");
		String invited = "back-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
		api.signUpVerified(invited, TestApi.PASSWORD, "Back");
		String link = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", invited)).text("link");
		String page = link.substring(link.indexOf("/invite/"));

		WebSession browser = new WebSession(api.base());
		assertThat(browser.get(page).body()).contains("href=\"" + page + "/signed-in\"");
		HttpResponse<String> toSignIn = browser.get(page + "/signed-in");
		assertThat(toSignIn.statusCode()).isEqualTo(302);
		assertThat(toSignIn.headers().firstValue("Location").orElse("")).endsWith("/signin");

		HttpResponse<String> signedIn = browser.post("/signin", Map.of("email", invited, "password", TestApi.PASSWORD),
				"/signin");
		assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith(page + "/signed-in");
		HttpResponse<String> back = browser.get(page + "/signed-in");
		assertThat(back.headers().firstValue("Location").orElse("")).endsWith(page);
		assertThat(browser.get(page).body()).contains("id=\"team-accept-signed-in\"");
	}
}
