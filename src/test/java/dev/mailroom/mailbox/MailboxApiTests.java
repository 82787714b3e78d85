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

@MailroomTest
class MailboxApiTests {

	@LocalServerPort
	int port;

	static final String PW = "Sturdy-Mailbox-Pass-9";

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "mb-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = activeDomain(tenant, domain);
	}

	String activeDomain(TestApi.Tenant t, String name) {
		var added = api.bearer(t.apiKey(), "POST", "/api/v1/domains", Map.of("name", name));
		assertThat(added.status()).isEqualTo(201);
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + added.text("id") + "/mark-verified", null).status())
			.isEqualTo(200);
		return added.text("id");
	}

	TestApi.Response create(String localPart, String password) {
		Map<String, Object> body = new HashMap<>(Map.of("domain_id", domainId, "local_part", localPart));
		if (password != null) {
			body.put("password", password);
		}
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", body);
	}

	@Test
	void createsARegularMailboxThatIsALogin() {
		var created = create("Alice.Smith", PW);
		assertThat(created.status()).isEqualTo(201);
		var mailbox = created.json().get("mailbox");
		assertThat(mailbox.get("address").asString()).isEqualTo("alice.smith@" + domain);
		assertThat(mailbox.get("kind").asString()).isEqualTo("regular");
		assertThat(mailbox.get("status").asString()).isEqualTo("active");
		assertThat(created.json().get("password").isNull()).as("a given password is never echoed").isTrue();
		assertThat(created.text("recovery_code")).matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){3}");

		var me = api.basic("GET", "/api/v1/me/mailboxes", "alice.smith@" + domain, PW, null);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("items").get(0).get("address").asString()).isEqualTo("alice.smith@" + domain);
		assertThat(me.json().get("items").get(0).get("access").asString()).isEqualTo("owner");
	}

	@Test
	void generatesAStrongPasswordShownOnce() {
		var created = create("gen", null);
		assertThat(created.status()).isEqualTo(201);
		String password = created.text("password");
		assertThat(password).hasSize(20);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "gen@" + domain, password, null).status()).isEqualTo(200);
		var fetched = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + created.json().get("mailbox").get("id").asString(), null);
		assertThat(fetched.raw().body()).doesNotContain(password).doesNotContain(created.text("recovery_code"));
	}

	@Test
	void enforcesLocalPartRules() {
		for (String bad : List.of(".dot", "dot.", "a..b", "sp ace", "ümlaut", "x".repeat(65), "<script>", "a@b", "")) {
			var response = create(bad, "Good-password-123");
			assertThat(response.status()).as(bad).isEqualTo(422);
			assertThat(response.code()).as(bad).isIn("invalid_local_part", "validation_failed");
		}
		var reserved = create("postmaster", "Good-password-123");
		assertThat(reserved.code()).isEqualTo("invalid_local_part");
		assertThat(create("ok_name+tag-1", "Good-password-123").status()).isEqualTo(201);
		var taken = create("OK_name+tag-1", "Good-password-123");
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("local_part_taken");
		var weak = create("weakling", "password123");
		assertThat(weak.code()).isEqualTo("weak_password");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null).json().get("items").size()).isEqualTo(1);
	}

	@Test
	void refusesAPendingDomainAndAnotherOrganizationsDomain() {
		var pending = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", "p-" + UUID.randomUUID() + ".example"));
		var onPending = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", pending.text("id"), "local_part", "x", "password", "Good-password-123"));
		assertThat(onPending.status()).isEqualTo(409);
		assertThat(onPending.code()).isEqualTo("domain_not_active");

		var other = api.newTenant("starter");
		var foreign = api.bearer(other.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "intruder", "password", "Good-password-123"));
		assertThat(foreign.status()).isEqualTo(404);
	}

	@Test
	void bulkCreateIsAllOrNothing() {
		List<Map<String, Object>> items = new ArrayList<>();
		items.add(Map.of("local_part", "one"));
		items.add(Map.of("local_part", "two", "storage_allocation_mb", 100));
		items.add(Map.of("local_part", "ONE"));
		items.add(Map.of("local_part", "bad..name"));
		var refused = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes:bulk", Map.of("domain_id", domainId, "items", items));
		assertThat(refused.status()).isEqualTo(422);
		var itemErrors = refused.json().get("items");
		assertThat(itemErrors.size()).isEqualTo(2);
		assertThat(itemErrors.get(0).get("index").asInt()).isEqualTo(2);
		assertThat(itemErrors.get(0).get("errors").get(0).get("code").asString()).isEqualTo("duplicate_in_batch");
		assertThat(itemErrors.get(1).get("errors").get(0).get("code").asString()).isEqualTo("invalid_local_part");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null).json().get("items").size()).isZero();

		var ok = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes:bulk",
				Map.of("domain_id", domainId, "items", items.subList(0, 2)));
		assertThat(ok.status()).isEqualTo(201);
		assertThat(ok.json().get("items").size()).isEqualTo(2);
		assertThat(ok.json().get("items").get(1).get("mailbox").get("storage_allocation_mb").asInt()).isEqualTo(100);

		List<Map<String, Object>> tooMany = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			tooMany.add(Map.of("local_part", "n" + i));
		}
		var over = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes:bulk", Map.of("domain_id", domainId, "items", tooMany));
		assertThat(over.status()).isEqualTo(422);
	}

	@Test
	void archiveStopsSignInAndUnarchiveBringsItBack() {
		var created = create("arch", PW);
		String id = created.json().get("mailbox").get("id").asString();
		var archived = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, Map.of("status", "archived"));
		assertThat(archived.text("status")).isEqualTo("archived");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "arch@" + domain, PW, null).status()).isEqualTo(401);
		var active = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, Map.of("status", "active"));
		assertThat(active.text("status")).isEqualTo("active");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "arch@" + domain, PW, null).status()).isEqualTo(200);
	}

	@Test
	void deleteMovesToTheRecycleBinAndRestoreBringsItBack() {
		var created = create("binned", PW);
		String id = created.json().get("mailbox").get("id").asString();
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(204);

		var trashed = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null);
		assertThat(trashed.text("status")).isEqualTo("trashed");
		assertThat(trashed.text("purge_at")).isNotBlank();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null).json().get("items").size()).isZero();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?status=trashed", null).json().get("items").size())
			.isEqualTo(1);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "binned@" + domain, PW, null).status()).isEqualTo(401);
		assertThat(create("binned", PW).code()).as("the address stays reserved").isEqualTo("local_part_taken");

		var restored = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/restore", null);
		assertThat(restored.status()).isEqualTo(200);
		assertThat(restored.text("status")).isEqualTo("active");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "binned@" + domain, PW, null).status()).isEqualTo(200);
	}

	@Test
	void restoreIsRefusedWhenTheDomainIsFull() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("mailboxes_per_domain", 1)));
		String id = create("first", PW).json().get("mailbox").get("id").asString();
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null);
		assertThat(create("second", PW).status()).isEqualTo(201);
		var restore = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/restore", null);
		assertThat(restore.status()).isEqualTo(409);
		assertThat(restore.code()).isEqualTo("plan_limit_reached");
	}

	@Test
	void storageAllocationsNeverExceedThePool() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("storage_pool_mb", 1000)));
		var big = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "big", "password", PW, "storage_allocation_mb", 800));
		assertThat(big.status()).isEqualTo(201);
		var over = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "over", "password", PW, "storage_allocation_mb", 201));
		assertThat(over.status()).isEqualTo(409);
		assertThat(over.code()).isEqualTo("storage_pool_exceeded");
		String id = big.json().get("mailbox").get("id").asString();
		var grow = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, Map.of("storage_allocation_mb", 1001));
		assertThat(grow.code()).isEqualTo("storage_pool_exceeded");
		var toPool = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, java.util.Collections.singletonMap("storage_allocation_mb", null));
		assertThat(toPool.status()).as(toPool.raw().body()).isEqualTo(200);
		assertThat(toPool.json().get("storage_allocation_mb").isNull()).isTrue();
	}

	@Test
	void recoveryCodeResetsThePasswordOnceAndOnlyOnce() {
		var created = create("forgetful", PW);
		String code = created.text("recovery_code");
		var reset = api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "forgetful@" + domain,
				"recovery_code", code.toLowerCase(), "new_password", "Brand-new-pass-2"));
		assertThat(reset.status()).isEqualTo(200);
		String next = reset.text("recovery_code");
		assertThat(next).isNotEqualTo(code);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "forgetful@" + domain, "Brand-new-pass-2", null).status()).isEqualTo(200);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "forgetful@" + domain, PW, null).status()).isEqualTo(401);

		var reused = api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "forgetful@" + domain,
				"recovery_code", code, "new_password", "Another-pass-33"));
		var unknown = api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "nobody@" + domain,
				"recovery_code", code, "new_password", "Another-pass-33"));
		assertThat(reused.status()).isEqualTo(400);
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(reused.raw().body()).isEqualTo(unknown.raw().body());
	}

	@Test
	void adminPasswordReset() {
		var created = create("resetme", PW);
		String id = created.json().get("mailbox").get("id").asString();
		var generated = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/reset-password", null);
		assertThat(generated.status()).isEqualTo(200);
		String password = generated.text("password");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "resetme@" + domain, password, null).status()).isEqualTo(200);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "resetme@" + domain, PW, null).status()).isEqualTo(401);
	}

	@Test
	void anotherOrganizationSeesNothing() {
		String id = create("private", PW).json().get("mailbox").get("id").asString();
		var other = api.newTenant("starter");
		for (var call : List.of(List.of("GET", "/api/v1/mailboxes/" + id), List.of("DELETE", "/api/v1/mailboxes/" + id),
				List.of("POST", "/api/v1/mailboxes/" + id + "/restore"),
				List.of("POST", "/api/v1/mailboxes/" + id + "/reset-password"))) {
			var response = api.bearer(other.apiKey(), call.get(0), call.get(1), null);
			assertThat(response.status()).as(call.toString()).isEqualTo(404);
		}
		var patch = api.bearer(other.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, Map.of("status", "archived"));
		assertThat(patch.status()).isEqualTo(404);
		assertThat(api.bearer(other.apiKey(), "GET", "/api/v1/mailboxes?q=private", null).json().get("items").size()).isZero();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null).text("status")).isEqualTo("active");
	}

	@Test
	void aDomainWithMailboxesCannotBeDeletedEvenFromTheRecycleBin() {
		String id = create("keeper", PW).json().get("mailbox").get("id").asString();
		var refused = api.bearer(tenant.apiKey(), "DELETE", "/api/v1/domains/" + domainId, null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("domain_in_use");
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null);
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/domains/" + domainId, null).code()).isEqualTo("domain_in_use");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + domainId, null).status()).isEqualTo(200);
	}

	@Test
	void everyChangeIsAudited() {
		String id = create("audited", PW).json().get("mailbox").get("id").asString();
		api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id, Map.of("status", "archived"));
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null);
		var events = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?limit=200", null).json().get("items");
		List<String> actions = new ArrayList<>();
		events.forEach(e -> {
			if (e.get("target").asString().equals("mailbox:" + id)) {
				actions.add(e.get("action").asString());
				assertThat(e.get("actor").asString()).startsWith("api_key:");
				assertThat(e.get("ip").asString()).isNotBlank();
				assertThat(e.get("details").toString()).doesNotContain(PW);
			}
		});
		assertThat(actions).containsExactlyInAnyOrder("mailbox.created", "mailbox.archived", "mailbox.deleted");
	}

	@Test
	void listFiltersSearchesAndPaginates() {
		for (String name : List.of("anna", "bert", "carla")) {
			create(name, PW);
		}
		var page1 = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?limit=2", null);
		assertThat(page1.json().get("items").size()).isEqualTo(2);
		String cursor = page1.text("next_cursor");
		var page2 = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?limit=2&cursor=" + cursor, null);
		assertThat(page2.json().get("items").size()).isEqualTo(1);
		assertThat(page2.json().get("next_cursor").isNull()).isTrue();
		var search = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=BER", null);
		assertThat(search.json().get("items").size()).isEqualTo(1);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?kind=shared", null).json().get("items").size()).isZero();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?status=bogus", null).status()).isEqualTo(422);
	}
}
