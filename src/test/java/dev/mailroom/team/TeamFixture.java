package dev.mailroom.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.TestApi;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Sets up teams through the API as their owners and members would, for the team tests. */
final class TeamFixture {

	static final String PW = "Sturdy-Team-Pass-8";
	static final List<String> ALL_SCOPES = List.of("domains:read", "domains:write", "mailboxes:read", "mailboxes:write",
			"team:read", "team:write", "audit:read", "api_keys:read", "api_keys:write", "billing:read");

	/** A person who joined the team: their credentials, user id and an all-scopes key in the team. */
	record Member(String email, UUID userId, String apiKey) {
	}

	private final TestApi api;

	TeamFixture(TestApi api) {
		this.api = api;
	}

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
	}

	static String token(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	TestApi.Response invite(TestApi.Tenant team, String email) {
		return api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", email));
	}

	/** Invites a new person, who creates their account from the link (scenario A). */
	Member join(TestApi.Tenant team, String prefix) {
		String email = email(prefix);
		TestApi.Response sent = invite(team, email);
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		String token = token(sent.text("link"));
		TestApi.Response accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(email, token, PW, prefix));
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
		TestApi.Response key = api.basic("POST", "/api/v1/api-keys", email, PW,
				Map.of("organization_id", team.orgId().toString(), "name", "mine", "scopes", ALL_SCOPES));
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		UUID userId = userIdOf(team, email);
		assertThat(userId).as("listed as a member").isNotNull();
		return new Member(email, userId, key.text("token"));
	}

	UUID userIdOf(TestApi.Tenant team, String email) {
		for (var member : api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items")) {
			if (member.get("email").asString().equals(email)) {
				return UUID.fromString(member.get("user_id").asString());
			}
		}
		return null;
	}

	/** A free user with a personal organization only. */
	String signUp(String prefix) {
		String email = email(prefix);
		api.signUpVerified(email, PW, prefix);
		return email;
	}

	String domainId(TestApi.Tenant tenant, String domainName) {
		for (var domain : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (domain.get("name").asString().equals(domainName)) {
				return domain.get("id").asString();
			}
		}
		throw new IllegalStateException("no domain " + domainName);
	}

	/** Creates a regular mailbox with {@code key}; returns its id. */
	String mailbox(String key, String domainId, String localPart) {
		TestApi.Response created = api.bearer(key, "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	/** Runs SQL as the organization (row-level security applies), e.g. to move a clock back. */
	static void asOrganization(TransactionTemplate transactions, JdbcClient jdbc, UUID orgId, String sql,
			Map<String, Object> params) {
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", orgId.toString())
				.query(String.class).single();
			var statement = jdbc.sql(sql);
			for (var entry : params.entrySet()) {
				statement = statement.param(entry.getKey(), entry.getValue());
			}
			statement.update();
		});
	}
}
