package dev.mailroom.webmail;

import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a mail plane (no IMAP host, as in this suite) the Mail page says so plainly, the rest of
 * the app works, and the rules about who may open which mailbox hold all the same.
 */
@MailroomTest
class WebmailNotConnectedTests {

	private static final String PW = "Correct-horse-battery-9";

	@LocalServerPort
	int port;

	@Test
	void theMailPageSaysNoMailServerIsConnectedAndStillRefusesOthersMailboxes() {
		TestApi api = new TestApi(port);
		var tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "nc");
		String domainId = null;
		for (var d : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (d.get("name").asString().equals(domain)) {
				domainId = d.get("id").asString();
			}
		}
		String ida = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "ida", "password", PW)).json().get("mailbox").get("id").asString();
		String jon = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "jon", "password", PW)).json().get("mailbox").get("id").asString();

		WebSession web = WebSession.signIn("http://localhost:" + port, "ida@" + domain, PW);
		var mail = web.get("/mail");
		assertThat(mail.statusCode()).isEqualTo(200);
		var page = Jsoup.parse(mail.body());
		assertThat(page.select("#mail-not-connected").text()).contains("No mail server is connected");
		assertThat(page.select("#nav-mail")).as("she can open a mailbox: Mail is in the top bar").hasSize(1);
		assertThat(web.get("/mail/" + ida).headers().firstValue("Location").orElse("")).endsWith("/mail");
		assertThat(web.get("/mail/" + jon).statusCode()).isEqualTo(404);
		assertThat(web.get("/mail/" + jon + "/messages/1/body").statusCode()).isEqualTo(404);
		// writing: her own mailbox's form goes back to the Mail page; another's is not there; a send
		// without a mail plane is a clear error, not a 500
		assertThat(web.get("/mail/" + ida + "/compose").headers().firstValue("Location").orElse("")).endsWith("/mail");
		assertThat(web.get("/mail/" + jon + "/compose").statusCode()).isEqualTo(404);
		var refused = web.post("/mail/" + ida + "/compose", Map.of("to", "x@example.com", "subject", "s", "text", "t"), "/mail");
		assertThat(refused.headers().firstValue("Location").orElse("")).endsWith("/mail");
		assertThat(Jsoup.parse(web.get("/mail").body()).select(".alert-error p").text())
			.isEqualTo("No mail server is connected to Mailroom");
		assertThat(web.post("/mail/" + jon + "/compose", Map.of("to", "x@example.com", "text", "t"), "/mail").statusCode())
			.isEqualTo(302);
		assertThat(Jsoup.parse(web.get("/mail").body()).select(".alert-error p").text()).isEqualTo("Mailbox not found");
		assertThat(web.get("/mail/" + jon + "/updates").statusCode()).isEqualTo(404);
		assertThat(web.get("/mail/" + ida + "/updates").statusCode()).as("her own, with no server to ask").isEqualTo(503);
		assertThat(web.get("/account").statusCode()).isEqualTo(200);
		assertThat(web.get("/account").headers().allValues("X-Frame-Options")).containsExactly("DENY");

		// the organization's owner opens none of its mailboxes: no Mail in the top bar, nothing to read
		WebSession owner = WebSession.signIn("http://localhost:" + port, tenant.ownerEmail(), TestApi.PASSWORD);
		assertThat(Jsoup.parse(owner.get("/dashboard").body()).select("#nav-mail")).isEmpty();
		assertThat(owner.get("/mail/" + ida).statusCode()).isEqualTo(404);
		assertThat(owner.get("/mail/" + ida + "/messages/1/parts/2").statusCode()).isEqualTo(404);
	}
}
