package dev.mailroom;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages for owners, members and guests speak to people (issue 30, item 8): no environment variable
 * names and no "operator" in what they read; operator hints live in the README and the console.
 */
@MailroomTest
class PeopleWordingTests {

	@LocalServerPort
	int port;

	@Test
	void noPageForPeopleNamesASettingOrTheOperator() {
		TestApi api = new TestApi(port);
		var tenant = api.newTenant("pro");
		// a domain, so that the pages show more than their empty states
		api.activeDomain(tenant, "words");
		WebSession owner = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		List<String> pages = List.of("/dashboard", "/domains", "/mailboxes", "/mailboxes/invites", "/api-keys", "/dev/mail",
				"/mail", "/account", "/mailboxes/" + UUID.randomUUID());
		for (String page : pages) {
			String text = Jsoup.parse(owner.get(page).body()).body().text();
			assertThat(text).as(page).doesNotContain("MAILROOM_").doesNotContainIgnoringCase("operator");
		}
		// the sign-up page that follows, without a relay
		WebSession stranger = new WebSession(api.base());
		var sent = stranger.post("/signup", Map.of("email", "words-" + UUID.randomUUID() + "@example.test", "password",
				"Correct-horse-battery-9", "name", "Wendy"), "/signup");
		String location = sent.headers().firstValue("Location").orElse("/signup/sent");
		String text = Jsoup.parse(stranger.get(location.substring(location.indexOf("/signup"))).body()).body().text();
		assertThat(text).contains("Check your inbox").doesNotContain("MAILROOM_").doesNotContainIgnoringCase("operator");
	}
}
