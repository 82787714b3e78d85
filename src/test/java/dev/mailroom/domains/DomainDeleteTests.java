package dev.mailroom.domains;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deleting a domain that had invites: refused with {@code domain_in_use} while one is live, and
 * the dead ones (canceled, expired, accepted whose mailbox is gone) go with the domain. Never a
 * foreign-key 500.
 */
@MailroomTest
class DomainDeleteTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestApi api;
	Tenant tenant;
	String domainId;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		Response added = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains",
				Map.of("name", "del-" + UUID.randomUUID() + ".example"));
		domainId = added.text("id");
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null).status())
			.isEqualTo(200);
	}

	@Test
	void aCanceledInviteDoesNotStopTheDomainsDeletion() {
		String invite = invite();
		Response refused = delete();
		assertThat(refused.status()).as("a live invite holds the domain").isEqualTo(409);
		assertThat(refused.code()).isEqualTo("domain_in_use");
		assertThat(refused.json().get("detail").asString()).contains("invite");

		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + invite + "/cancel", null).status())
			.isEqualTo(200);

		assertThat(delete().status()).isEqualTo(204);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + domainId, null).status()).isEqualTo(404);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + invite, null).status())
			.as("the dead invite went with its domain")
			.isEqualTo(404);
	}

	@Test
	void expiredAndUsedUpInvitesGoWithTheDomain() {
		String overdue = invite();
		String expired = invite();
		String accepted = invite();
		inTenant("update mailroom.invites set expires_at = now() - interval '1 second' where id = :id", overdue);
		inTenant("update mailroom.invites set status = 'expired', expires_at = now() - interval '1 hour' where id = :id",
				expired);
		// accepted, and its mailbox since purged: nothing on the domain refers to it any more
		inTenant("update mailroom.invites set status = 'accepted', accepted_at = now(), mailbox_id = gen_random_uuid() "
				+ "where id = :id", accepted);

		assertThat(delete().status()).isEqualTo(204);
		for (String id : List.of(overdue, expired, accepted)) {
			assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + id, null).status()).isEqualTo(404);
		}
		assertThat(auditActions()).contains("domain.deleted");
	}

	@Test
	void anotherOrganizationsDeleteTouchesNoInvite() {
		String invite = invite();
		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + invite + "/cancel", null);
		Tenant other = api.newTenant("starter");

		assertThat(api.bearer(other.apiKey(), "DELETE", "/api/v1/domains/" + domainId, null).status()).isEqualTo(404);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + invite, null).status()).isEqualTo(200);
	}

	private String invite() {
		Response sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", "p-" + UUID.randomUUID() + "@elsewhere.test"));
		assertThat(sent.status()).isEqualTo(201);
		return sent.text("id");
	}

	private Response delete() {
		return api.bearer(tenant.apiKey(), "DELETE", "/api/v1/domains/" + domainId, null);
	}

	private void inTenant(String sql, String id) {
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class)
				.single();
			assertThat(jdbc.sql(sql).param("id", UUID.fromString(id)).update()).isEqualTo(1);
		});
	}

	private List<String> auditActions() {
		Response audit = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=domain.deleted", null);
		assertThat(audit.status()).isEqualTo(200);
		List<String> actions = new ArrayList<>();
		audit.json().get("items").forEach(item -> actions.add(item.get("action").asString()));
		return actions;
	}
}
