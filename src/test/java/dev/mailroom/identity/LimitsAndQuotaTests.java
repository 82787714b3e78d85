package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@MailroomTest
class LimitsAndQuotaTests {

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	@Test
	void callsOverTheDailyQuotaGet429WithRetryAfter() {
		var tenant = api.newTenant("starter");
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("api_calls_per_day", 3))).status()).isEqualTo(200);

		for (int i = 0; i < 3; i++) {
			assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).status()).isEqualTo(200);
		}
		var over = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null);

		assertThat(over.status()).isEqualTo(429);
		assertThat(over.code()).isEqualTo("daily_quota_exceeded");
		assertThat(Long.parseLong(over.header("Retry-After"))).isBetween(1L, 86_401L);
	}

	@Test
	void signInAttemptsAreLimitedPerAccount() {
		var tenant = api.newTenant("starter");
		int refused = 0;
		for (int i = 0; i < 12; i++) {
			var attempt = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), "not-the-password-" + i,
					Map.of("name", "x", "scopes", List.of("domains:read")));
			if (attempt.status() == 429) {
				assertThat(attempt.code()).isEqualTo("too_many_attempts");
				assertThat(attempt.header("Retry-After")).isNotBlank();
				refused++;
			}
			else {
				assertThat(attempt.status()).isEqualTo(401);
			}
		}
		// only wrong passwords count (newTenant()'s right one did not): 10 per account and client
		assertThat(refused).isEqualTo(2);
		// even the right password is refused while this client is throttled on the account
		var right = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("name", "x", "scopes", List.of("domains:read")));
		assertThat(right.status()).isEqualTo(429);
	}

	@Test
	void operatorLimitOverridesAreValidated() {
		var tenant = api.newTenant("starter");
		var unknown = api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("galaxies", 3)));
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.code()).isEqualTo("unknown_limit");
		var badPlan = api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("plan", "platinum"));
		assertThat(badPlan.status()).isEqualTo(422);
		assertThat(badPlan.code()).isEqualTo("invalid_plan");
		var missing = api.operator("PATCH", "/api/v1/operator/organizations/" + UUID.randomUUID(), Map.of("plan", "pro"));
		assertThat(missing.status()).isEqualTo(404);
	}

	@Test
	void anExistingOwnerEmailIsInvitedAndOwnsOnceItAccepts() {
		var first = api.newTenant("starter");
		var second = api.operator("POST", "/api/v1/operator/organizations", Map.of("name", "Second", "plan", "pro",
				"owner", Map.of("email", first.ownerEmail())));
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.text("owner_status")).isEqualTo("invited");
		assertThat(second.json().get("owner_user_id").isNull()).isTrue();
		var accepted = api.acceptOwnership(first.ownerEmail(), TestApi.PASSWORD);
		assertThat(accepted.status()).isEqualTo(200);
		assertThat(accepted.text("organization_id")).isEqualTo(second.text("id"));
		var key = api.basic("POST", "/api/v1/api-keys", first.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", second.text("id"), "name", "second", "scopes", List.of("domains:read")));
		assertThat(key.status()).isEqualTo(201);
	}
}
