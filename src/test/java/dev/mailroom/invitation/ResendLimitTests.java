package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Resending cannot flood an inbox: 5 per hour per invite, 20 per day per recipient across an
 * organization (setup, address-access and team invites, and bulk resend), also under concurrency.
 */
@MailroomTest
class ResendLimitTests {

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		String domain = "resend-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
	}

	static String recipient() {
		return "r-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
	}

	String invite(String recipient) {
		var sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", recipient));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		return sent.text("id");
	}

	TestApi.Response resend(String id) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + id + "/resend", null);
	}

	@Test
	void parallelResendsOfOneInviteStopAtFive() throws Exception {
		String id = invite(recipient());
		List<Integer> statuses = Race.of(8, i -> resend(id).status());
		assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
		assertThat(statuses).filteredOn(s -> s == 429).hasSize(3);

		var refused = resend(id);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.code()).isEqualTo("resend_limit_reached");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
	}

	@Test
	void oneRecipientGetsAtMostTwentyResendsADayAcrossInvites() {
		String recipient = recipient();
		int sent = 0;
		TestApi.Response last = null;
		for (int round = 0; round < 5 && (last == null || last.status() == 200); round++) {
			String id = invite(recipient);
			for (int i = 0; i < 5; i++) {
				last = resend(id);
				if (last.status() != 200) {
					break;
				}
				sent++;
			}
			api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + id + "/cancel", null);
		}
		assertThat(sent).isEqualTo(20);
		assertThat(last.status()).isEqualTo(429);
		assertThat(last.code()).isEqualTo("resend_limit_reached");
		// another recipient in the same organization is not held back
		assertThat(resend(invite(recipient())).status()).isEqualTo(200);
	}

	@Test
	void bulkResendReportsTheInvitesOverTheLimitAsErrorItems() {
		String limited = invite(recipient());
		for (int i = 0; i < 5; i++) {
			assertThat(resend(limited).status()).isEqualTo(200);
		}
		String fresh = invite(recipient());
		var bulk = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites:bulk-resend",
				Map.of("ids", List.of(limited, fresh)));
		assertThat(bulk.status()).isEqualTo(200);
		List<String> outcomes = new ArrayList<>();
		bulk.json().get("items").forEach(item -> outcomes.add(item.get("id").asString() + "="
				+ (item.has("error") ? item.get("error").get("code").asString() : item.get("status").asString())));
		assertThat(outcomes).containsExactly(limited + "=resend_limit_reached", fresh + "=pending");
	}

	@Test
	void addressAccessInvitesAreLimitedToo() {
		String member = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "info", "password", "Correct-horse-battery-9"))
			.json().get("mailbox").get("id").asString();
		var shared = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "team", "members", List.of(Map.of("mailbox_id", member))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		String sharedId = shared.text("id");
		var share = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + sharedId + "/access-invites",
				Map.of("recipient_email", recipient(), "permission", "reply"));
		assertThat(share.status()).as(share.raw().body()).isEqualTo(201);
		String path = "/api/v1/mailboxes/" + sharedId + "/access-invites/" + share.text("id") + "/resend";
		for (int i = 0; i < 5; i++) {
			assertThat(api.bearer(tenant.apiKey(), "POST", path, null).status()).isEqualTo(200);
		}
		var refused = api.bearer(tenant.apiKey(), "POST", path, null);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.code()).isEqualTo("resend_limit_reached");
	}

	@Test
	void teamInvitationsAreLimitedToo() {
		TestApi.Tenant team = api.newTenant("team");
		var sent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", recipient()));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		String path = "/api/v1/team/invitations/" + sent.text("id") + "/resend";
		for (int i = 0; i < 5; i++) {
			assertThat(api.bearer(team.apiKey(), "POST", path, null).status()).isEqualTo(200);
		}
		var refused = api.bearer(team.apiKey(), "POST", path, null);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.code()).isEqualTo("resend_limit_reached");
		assertThat(refused.header("Retry-After")).isNotBlank();
	}
}
