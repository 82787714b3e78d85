package dev.mailroom.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/mailboxes?include=pending}: pending setup invites among the mailboxes. */
@MailroomTest
class MailboxListPendingTests {

	static final String PW = "Sturdy-Mailbox-Pass-9";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "pend-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = activeDomain(tenant, domain);
	}

	String activeDomain(TestApi.Tenant t, String name) {
		var added = api.bearer(t.apiKey(), "POST", "/api/v1/domains", Map.of("name", name));
		assertThat(added.status()).isEqualTo(201);
		api.operator("POST", "/api/v1/operator/domains/" + added.text("id") + "/mark-verified", null);
		return added.text("id");
	}

	String mailbox(String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	TestApi.Response invite(TestApi.Tenant t, String domain, String recipient, String localPart) {
		Map<String, Object> body = new HashMap<>(Map.of("domain_id", domain, "recipient_email", recipient));
		if (localPart != null) {
			body.put("local_part", localPart);
		}
		var sent = api.bearer(t.apiKey(), "POST", "/api/v1/mailboxes/invites", body);
		assertThat(sent.status()).isEqualTo(201);
		return sent;
	}

	List<JsonNode> items(String query) {
		var list = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes" + query, null);
		assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
		List<JsonNode> items = new ArrayList<>();
		list.json().get("items").forEach(items::add);
		return items;
	}

	static List<String> ids(List<JsonNode> items) {
		return items.stream().map(i -> i.get("id").asString()).toList();
	}

	@Test
	void listsThePendingInviteUntilItIsAcceptedThenTheMailbox() {
		String alice = mailbox("alice");
		var dana = invite(tenant, domainId, "dana@elsewhere.test", "dana");
		var open = invite(tenant, domainId, "erin@elsewhere.test", null);

		// without include=pending the answer is unchanged: mailboxes only, no "object"
		List<JsonNode> plain = items("");
		assertThat(ids(plain)).containsExactly(alice);
		assertThat(plain.getFirst().has("object")).isFalse();

		List<JsonNode> all = items("?include=pending");
		assertThat(ids(all)).containsExactly(alice, dana.text("id"), open.text("id"));
		assertThat(all.get(0).get("object").asString()).isEqualTo("mailbox");
		assertThat(all.get(0).get("address").asString()).isEqualTo("alice@" + domain);
		JsonNode pending = all.get(1);
		assertThat(pending.get("object").asString()).isEqualTo("invite");
		assertThat(pending.get("status").asString()).isEqualTo("setup_pending");
		assertThat(pending.get("address").asString()).isEqualTo("dana@" + domain);
		assertThat(pending.get("recipient_email").asString()).isEqualTo("dana@elsewhere.test");
		assertThat(pending.get("domain_id").asString()).isEqualTo(domainId);
		assertThat(pending.get("expires_at").asString()).isEqualTo(dana.text("expires_at"));
		assertThat(all.get(2).has("address")).isTrue();
		assertThat(all.get(2).get("address").isNull()).as("the recipient picks the local part").isTrue();

		assertThat(ids(items("?status=setup_pending"))).containsExactly(dana.text("id"), open.text("id"));
		assertThat(ids(items("?include=pending&status=active"))).containsExactly(alice);
		assertThat(ids(items("?include=pending&kind=shared"))).isEmpty();
		assertThat(ids(items("?include=pending&q=erin@"))).containsExactly(open.text("id"));
		assertThat(ids(items("?include=pending&q=dana"))).containsExactly(dana.text("id"));
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?include=everything", null).status())
			.isEqualTo(422);

		String link = dana.text("link");
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				Map.of("password", PW));
		assertThat(accepted.status()).isEqualTo(201);
		String danaMailbox = accepted.json().get("mailbox").get("id").asString();

		List<JsonNode> after = items("?include=pending");
		assertThat(ids(after)).containsExactly(alice, open.text("id"), danaMailbox);
		assertThat(after.get(2).get("object").asString()).isEqualTo("mailbox");
		assertThat(after.get(2).get("address").asString()).isEqualTo("dana@" + domain);
		assertThat(after.get(2).get("status").asString()).isEqualTo("active");
		assertThat(ids(items("?status=setup_pending"))).containsExactly(open.text("id"));
	}

	@Test
	void pagesHoldBothInOneOrderWithoutSkippingOrRepeating() {
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			expected.add(mailbox("m" + i));
			expected.add(invite(tenant, domainId, "p" + i + "@elsewhere.test", null).text("id"));
		}
		assertThat(ids(items("?include=pending"))).containsExactlyElementsOf(expected);

		List<String> paged = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			var page = api.bearer(tenant.apiKey(), "GET",
					"/api/v1/mailboxes?include=pending&limit=4" + (cursor == null ? "" : "&cursor=" + cursor), null);
			assertThat(page.status()).isEqualTo(200);
			page.json().get("items").forEach(item -> paged.add(item.get("id").asString()));
			cursor = page.json().get("next_cursor").isNull() ? null : page.text("next_cursor");
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(pages).isEqualTo(2);
		assertThat(paged).containsExactlyElementsOf(expected);
	}

	@Test
	void anotherOrganizationsInvitesNeverAppear() {
		TestApi.Tenant other = api.newTenant("starter");
		String otherDomain = activeDomain(other, "pend-other-" + UUID.randomUUID().toString().substring(0, 8) + ".example");
		String theirs = invite(other, otherDomain, "zed@elsewhere.test", "zed").text("id");
		String ours = invite(tenant, domainId, "yan@elsewhere.test", "yan").text("id");

		assertThat(ids(items("?include=pending"))).containsExactly(ours);
		assertThat(ids(items("?status=setup_pending&q=zed"))).isEmpty();
		assertThat(ids(items("?include=pending&domain_id=" + otherDomain))).isEmpty();
		var theirList = api.bearer(other.apiKey(), "GET", "/api/v1/mailboxes?include=pending", null);
		List<String> theirIds = new ArrayList<>();
		theirList.json().get("items").forEach(i -> theirIds.add(i.get("id").asString()));
		assertThat(theirIds).containsExactly(theirs);
	}

	@Test
	void aKeyLimitedToOneDomainSeesOnlyThePendingInvitesOnIt() {
		String otherDomain = activeDomain(tenant, "pend-two-" + UUID.randomUUID().toString().substring(0, 8) + ".example");
		var key = api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
				Map.of("name", "limited", "scopes", List.of("mailboxes:read"), "domain_ids", List.of(domainId)));
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		String here = invite(tenant, domainId, "here@elsewhere.test", null).text("id");
		invite(tenant, otherDomain, "there@elsewhere.test", null);

		var listed = api.bearer(key.text("token"), "GET", "/api/v1/mailboxes?include=pending", null);
		assertThat(listed.status()).isEqualTo(200);
		List<String> seen = new ArrayList<>();
		listed.json().get("items").forEach(i -> seen.add(i.get("id").asString()));
		assertThat(seen).containsExactly(here);
	}
}
