package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@MailroomTest
class BulkInviteTests {

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;
	String tag;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		tag = UUID.randomUUID().toString().substring(0, 6);
		domain = "bulk-" + tag + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
	}

	Map<String, Object> item(String email) {
		return Map.of("recipient_email", email);
	}

	TestApi.Response post(String path, List<Map<String, Object>> items) {
		return api.bearer(tenant.apiKey(), "POST", path, Map.of("domain_id", domainId, "items", items));
	}

	List<String> codes(TestApi.Response preview, int index) {
		List<String> codes = new ArrayList<>();
		preview.json().get("items").get(index).get("errors").forEach(e -> codes.add(e.get("code").asString()));
		return codes;
	}

	@Test
	void previewFlagsEveryProblemAndSendsNothing() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("mailboxes_per_domain", 6, "storage_pool_mb", 1000)));
		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "taken"));
		String invited = "invited-" + tag + "@people.test";
		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites", Map.of("domain_id", domainId, "recipient_email", invited));

		List<Map<String, Object>> items = new ArrayList<>();
		items.add(item("Alice.Smith@People.test"));
		items.add(item("not-an-email"));
		items.add(item("alice.smith@people.test"));
		items.add(item("taken@other.test"));
		items.add(item(invited));
		items.add(Map.of("recipient_email", "big-" + tag + "@people.test", "storage_allocation_mb", 1500));
		items.add(item("carol-" + tag + "@people.test"));
		items.add(item("dave-" + tag + "@people.test"));
		items.add(item("erin-" + tag + "@people.test"));
		var preview = post("/api/v1/mailboxes/invites:preview", items);

		assertThat(preview.status()).isEqualTo(200);
		assertThat(preview.json().get("items").get(0).get("address").asString()).isEqualTo("alice.smith@" + domain);
		assertThat(codes(preview, 0)).isEmpty();
		assertThat(codes(preview, 1)).contains("invalid_email");
		assertThat(codes(preview, 2)).contains("duplicate_in_batch");
		assertThat(codes(preview, 3)).contains("local_part_taken");
		assertThat(codes(preview, 4)).contains("already_invited");
		assertThat(codes(preview, 5)).contains("storage_pool_exceeded");
		// cap 6 − 1 mailbox − 1 pending invite = 4 slots: items 0–3 take them, the rest are over the cap
		assertThat(codes(preview, 4)).contains("plan_limit_reached");
		assertThat(codes(preview, 8)).contains("plan_limit_reached");
		var summary = preview.json().get("summary");
		assertThat(summary.get("mailbox_cap").asInt()).isEqualTo(6);
		assertThat(summary.get("existing").asInt()).isEqualTo(1);
		assertThat(summary.get("pending").asInt()).isEqualTo(1);
		assertThat(summary.get("this_batch").asInt()).isEqualTo(9);
		assertThat(summary.get("remaining").asInt()).isEqualTo(4);
		assertThat(summary.get("storage_pool_mb").asInt()).isEqualTo(1000);
		assertThat(summary.get("storage_requested_mb").asInt()).isEqualTo(1500);

		var refused = post("/api/v1/mailboxes/invites:bulk", items);
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.json().get("items").size()).isGreaterThanOrEqualTo(5);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites", null).json().get("items").size())
			.as("only the single invite from before").isEqualTo(1);
	}

	@Test
	void aValidBatchIsSentWholeAndProvisionsNothingUntilRedeemed() {
		List<Map<String, Object>> items = new ArrayList<>();
		List<String> recipients = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String email = "member" + i + "-" + tag + "@people.test";
			recipients.add(email);
			items.add(i == 4 ? Map.of("recipient_email", email, "local_part", "custom-" + tag) : item(email));
		}
		var sent = api.send("POST", "/api/v1/mailboxes/invites:bulk",
				Map.of("domain_id", domainId, "items", items, "expires_in_hours", 48, "language", "de"),
				"Bearer " + tenant.apiKey(), Map.of("Idempotency-Key", "batch-" + tag));
		assertThat(sent.status()).isEqualTo(201);
		String batchId = sent.text("batch_id");
		assertThat(sent.json().get("items").size()).isEqualTo(5);
		assertThat(sent.json().get("items").get(4).get("local_part").asString()).isEqualTo("custom-" + tag);
		assertThat(sent.json().get("items").get(0).get("batch_id").asString()).isEqualTo(batchId);

		var replay = api.send("POST", "/api/v1/mailboxes/invites:bulk",
				Map.of("domain_id", domainId, "items", items, "expires_in_hours", 48, "language", "de"),
				"Bearer " + tenant.apiKey(), Map.of("Idempotency-Key", "batch-" + tag));
		assertThat(replay.text("batch_id")).isEqualTo(batchId);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites?batch_id=" + batchId, null)
			.json().get("items").size()).isEqualTo(5);

		for (String recipient : recipients) {
			assertThat(TestMailServer.shared().await(recipient, 1, Duration.ofSeconds(20))).hasSize(1);
		}
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null).json().get("items").size()).isZero();
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "member0-" + tag + "@" + domain, "Whatever-pass-123", null)
			.status()).isEqualTo(401);
	}

	@Test
	void moreThanOneHundredItemsPerCallAreRefused() {
		List<Map<String, Object>> items = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			items.add(item("n" + i + "-" + tag + "@people.test"));
		}
		var response = post("/api/v1/mailboxes/invites:bulk", items);
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.code()).isEqualTo("too_many_items");
		assertThat(post("/api/v1/mailboxes/invites:preview", items).code()).isEqualTo("too_many_items");
	}

	@Test
	void tenConcurrentBatchesNeverOvershootThirtyFreeSlots() throws Exception {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("mailboxes_per_domain", 30)));
		List<Integer> statuses = Race.of(10, b -> post("/api/v1/mailboxes/invites:bulk", batch(b, null)).status());
		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
		assertThat(statuses.stream().filter(s -> s == 422).count()).isEqualTo(7);
		assertThat(pendingCount()).isEqualTo(30);
	}

	@Test
	void tenConcurrentBatchesNeverOvershootThePool() throws Exception {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("storage_pool_mb", 3000)));
		List<Integer> statuses = Race.of(10, b -> post("/api/v1/mailboxes/invites:bulk", batch(b, 100)).status());
		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
		assertThat(pendingCount()).isEqualTo(30);
	}

	private List<Map<String, Object>> batch(int b, Integer storageMb) {
		List<Map<String, Object>> items = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			String email = "race" + b + "x" + i + "-" + tag + "@people.test";
			items.add(storageMb == null ? item(email) : Map.of("recipient_email", email, "storage_allocation_mb", storageMb));
		}
		return items;
	}

	private int pendingCount() {
		return api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites?status=pending&limit=200", null)
			.json()
			.get("items")
			.size();
	}

	@Test
	void derivedLocalPartsAreCleanedUp() {
		assertThat(InvitationService.derivedLocalPart("O'Brien.Jr@x.test")).isEqualTo("obrien.jr");
		assertThat(InvitationService.derivedLocalPart("..a..b..@x.test")).isEqualTo("a.b");
		assertThat(InvitationService.derivedLocalPart("josé@x.test")).isEqualTo("jos");
		Map<String, Object> body = new HashMap<>(Map.of("domain_id", domainId, "items", List.of(item("___@people.test"))));
		var preview = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites:preview", body);
		assertThat(preview.status()).isEqualTo(200);
		assertThat(codes(preview, 0)).contains("invalid_local_part");
	}
}
