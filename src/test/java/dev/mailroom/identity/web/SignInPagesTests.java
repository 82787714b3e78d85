package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sign-in page over plain HTTP. */
@MailroomTest
class SignInPagesTests {

	@LocalServerPort
	int port;

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("");
	}

	@Test
	void aRefusedSignInKeepsTheEmailTypedButNotThePasswordAndNotInTheUrl() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String wrongPassword = TestApi.PASSWORD + "-wrong";

		WebSession session = new WebSession(api.base());
		var refused = session.post("/signin", Map.of("email", tenant.ownerEmail(), "password", wrongPassword), "/signin");
		assertThat(location(refused)).endsWith("/signin?error=bad").doesNotContain("@");

		HttpResponse<String> again = session.get("/signin?error=bad");
		Document page = Jsoup.parse(again.body());
		assertThat(page.select(".alert").text()).contains("Wrong email or password");
		assertThat(page.select("input#email").attr("value")).isEqualTo(tenant.ownerEmail());
		assertThat(page.select("input#password").attr("value")).isEmpty();
		assertThat(again.body()).doesNotContain(wrongPassword);
		// the email is typed: the password field is where to carry on
		assertThat(page.select("input#password").hasAttr("autofocus")).isTrue();
		assertThat(page.select("input#email").hasAttr("autofocus")).isFalse();

		// kept once, for the page right after the refusal
		Document later = Jsoup.parse(session.get("/signin").body());
		assertThat(later.select("input#email").attr("value")).isEmpty();
		assertThat(later.select("input#email").hasAttr("autofocus")).isTrue();
	}

	@Test
	void anotherBrowserIsNotShownTheEmailTypedElsewhere() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		WebSession someone = new WebSession(api.base());
		someone.post("/signin", Map.of("email", tenant.ownerEmail(), "password", "not-the-password"), "/signin");

		WebSession other = new WebSession(api.base());
		assertThat(other.get("/signin?error=bad").body()).doesNotContain(tenant.ownerEmail());
	}
}
