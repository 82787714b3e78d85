package dev.mailroom.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Limits hold when 50 real HTTP requests race for the last slots. */
@MailroomTest
class MailboxLimitConcurrencyTests {

	static final int CAP = 7;
	static final int REQUESTS = 50;

	@LocalServerPort
	int port;

	@Autowired
	MailboxService mailboxService;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	@RepeatedTest(3)
	void exactlyTheCapSucceedsUnderAStormOfCreates() throws Exception {
		var tenant = api.newTenant("starter");
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("mailboxes_per_domain", CAP)));
		String domainId = activeDomain(tenant);

		List<Integer> statuses = Race.of(REQUESTS, i -> api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "storm" + i)).status());

		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(CAP);
		assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(REQUESTS - CAP);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?limit=200", null).json().get("items").size())
			.isEqualTo(CAP);
	}

	@Test
	void storagePoolHoldsUnderConcurrentCreates() throws Exception {
		var tenant = api.newTenant("starter");
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("storage_pool_mb", 1000)));
		String domainId = activeDomain(tenant);

		List<Integer> statuses = Race.of(20, i -> api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "pool" + i, "storage_allocation_mb", 300)).status());

		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
	}

	@Test
	void thePurgeRemovesExpiredMailboxesAndFreesTheAddress() {
		var tenant = api.newTenant("starter");
		String domainId = activeDomain(tenant);
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "gone"));
		String id = created.json().get("mailbox").get("id").asString();
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null);
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("update mailroom.mailboxes set purge_at = now() - interval '1 minute' where id = :id")
				.param("id", UUID.fromString(id)).update();
		});

		assertThat(mailboxService.purgeExpired(100)).isGreaterThanOrEqualTo(1);

		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(404);
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/restore", null).status()).isEqualTo(404);
		var again = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "gone"));
		assertThat(again.status()).as("the address is free again").isEqualTo(201);
	}

	private String activeDomain(TestApi.Tenant tenant) {
		var added = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains",
				Map.of("name", "c-" + UUID.randomUUID().toString().substring(0, 8) + ".example"));
		api.operator("POST", "/api/v1/operator/domains/" + added.text("id") + "/mark-verified", null);
		return added.text("id");
	}
}
