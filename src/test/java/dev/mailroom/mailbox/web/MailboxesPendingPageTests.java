package dev.mailroom.mailbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Mailboxes page lists pending setup invites among the mailboxes, with their actions and filters. */
@MailroomTest
class MailboxesPendingPageTests {

	@LocalServerPort
	int port;

	@Test
	void pendingInvitesAreRowsWithASetupPendingBadgeAndTheInviteActions() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "pend");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		var alice = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "alice", "password", "Correct-horse-battery-9"));
		assertThat(alice.status()).isEqualTo(201);
		String aliceId = alice.json().get("mailbox").get("id").asString();
		var team = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "team", "members", List.of(Map.of("mailbox_id", aliceId))));
		assertThat(team.status()).as(team.raw().body()).isEqualTo(201);
		var dana = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", "dana@elsewhere.test", "local_part", "dana"));
		assertThat(dana.status()).isEqualTo(201);
		String danaId = dana.text("id");

		WebSession web = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		Document page = Jsoup.parse(web.get("/mailboxes").body());
		assertThat(page.select("tr.mailbox-row th.mailbox-address .address").eachText())
			.containsExactly("alice@" + domain, "team@" + domain, "dana@" + domain);
		Element row = page.selectFirst("tr#invite-" + danaId);
		assertThat(row).isNotNull();
		assertThat(row.select(".badge-pending").text()).isEqualTo("Setup pending");
		assertThat(row.select(".badge-active")).isEmpty();
		assertThat(row.text()).contains("dana@elsewhere.test");
		assertThat(row.select(".invite-expiry time").attr("datetime")).isEqualTo(dana.text("expires_at"));
		assertThat(row.select("form[action=/mailboxes/invites/" + danaId + "/resend] input[name=back]").val())
			.isEqualTo("mailboxes");
		assertThat(row.select("form[action=/mailboxes/invites/" + danaId + "/recipient] input[name=recipient_email]").val())
			.isEqualTo("dana@elsewhere.test");
		assertThat(row.select("button.copy-link").attr("hx-get")).isEqualTo("/mailboxes/invites/" + danaId + "/link");
		assertThat(row.select("form[action=/mailboxes/invites/" + danaId + "/cancel] button").text())
			.isEqualTo("Cancel invite");
		// the mailboxes' own actions are not offered on it
		assertThat(row.select(".archive, .reset, .delete")).isEmpty();

		assertThat(page.select("#filter-status option").eachAttr("value"))
			.containsExactly("", "active", "pending", "archived", "shared");
		assertThat(addresses(web, "/mailboxes?status=pending")).containsExactly("dana@" + domain);
		assertThat(addresses(web, "/mailboxes?status=active")).containsExactly("alice@" + domain, "team@" + domain);
		assertThat(addresses(web, "/mailboxes?status=shared")).containsExactly("team@" + domain);
		assertThat(addresses(web, "/mailboxes?status=archived")).isEmpty();
		assertThat(Jsoup.parse(web.get("/mailboxes?status=pending").body()).select("#filter-status option[selected]").val())
			.isEqualTo("pending");

		// the invite's own action, taken from this list, comes back to it
		var canceled = web.post("/mailboxes/invites/" + danaId + "/cancel", Map.of("back", "mailboxes"), "/mailboxes");
		assertThat(canceled.statusCode()).isEqualTo(302);
		assertThat(canceled.headers().firstValue("Location").orElseThrow()).endsWith("/mailboxes");
		Document after = Jsoup.parse(web.get("/mailboxes").body());
		assertThat(after.select("tr#invite-" + danaId)).isEmpty();
		assertThat(after.text()).contains("was canceled");
	}

	private static List<String> addresses(WebSession web, String path) {
		return Jsoup.parse(web.get(path).body()).select("tr.mailbox-row th.mailbox-address .address").eachText();
	}
}
