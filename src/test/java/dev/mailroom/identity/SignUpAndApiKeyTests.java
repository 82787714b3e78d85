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
class SignUpAndApiKeyTests {

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	@Test
	void signUpCreatesAPersonalOrganizationOnTheFreePlanOnceTheEmailIsVerified() {
		String email = "Person-" + UUID.randomUUID() + "@Example.TEST";
		var verified = api.signUpVerified(email, TestApi.PASSWORD, "Pat");
		assertThat(verified.json().get("user_id").asString()).isNotBlank();
		assertThat(verified.text("email")).isEqualTo(email.toLowerCase());

		var key = api.basic("POST", "/api/v1/api-keys", email.toLowerCase(), TestApi.PASSWORD,
				Map.of("name", "mine", "scopes", List.of("domains:read")));
		assertThat(key.status()).isEqualTo(201);
		assertThat(key.text("organization_id")).isEqualTo(verified.text("personal_organization_id"));
		assertThat(key.text("token")).startsWith("mr_");
	}

	@Test
	void aDuplicateEmailGetsTheSameAnswerAndAWeakPasswordIsRefused() {
		String email = "dup-" + UUID.randomUUID() + "@example.test";
		api.signUpVerified(email, TestApi.PASSWORD, "A");
		var again = api.anonymous("POST", "/api/v1/signup",
				Map.of("email", email.toUpperCase(), "password", TestApi.PASSWORD, "name", "A"));
		assertThat(again.status()).isEqualTo(202);
		assertThat(again.text("status")).isEqualTo("verification_sent");

		var weak = api.anonymous("POST", "/api/v1/signup",
				Map.of("email", "weak-" + UUID.randomUUID() + "@example.test", "password", "password123", "name", "W"));
		assertThat(weak.status()).isEqualTo(422);
		assertThat(weak.code()).isEqualTo("weak_password");
	}

	@Test
	void apiKeyIsShownOnceStoredHashedAndRevocable() {
		var tenant = api.newTenant("starter");
		var list = api.bearer(tenant.apiKey(), "GET", "/api/v1/api-keys", null);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("items").toString()).doesNotContain(tenant.apiKey()).doesNotContain("secret");

		var second = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "short-lived", "scopes", List.of("domains:read")));
		String token = second.text("token");
		assertThat(api.bearer(token, "GET", "/api/v1/domains", null).status()).isEqualTo(200);

		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/api-keys/" + second.text("id"), null).status())
			.isEqualTo(204);
		var revoked = api.bearer(token, "GET", "/api/v1/domains", null);
		assertThat(revoked.status()).isEqualTo(401);
		assertThat(revoked.code()).isEqualTo("unauthorized");
	}

	@Test
	void keyWithoutTheScopeGetsInsufficientScope() {
		var tenant = api.newTenant("starter");
		var readOnly = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "reader", "scopes", List.of("domains:read")));
		var add = api.bearer(readOnly.text("token"), "POST", "/api/v1/domains", Map.of("name", "scoped.example"));
		assertThat(add.status()).isEqualTo(403);
		assertThat(add.code()).isEqualTo("insufficient_scope");
	}

	@Test
	void basicAuthIsRefusedWhereTheContractDoesNotAllowIt() {
		var tenant = api.newTenant("starter");
		var response = api.basic("GET", "/api/v1/domains", tenant.ownerEmail(), TestApi.PASSWORD, null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), "wrong password!", Map.of("name", "x",
				"scopes", List.of("domains:read"))).status()).isEqualTo(401);
	}

	@Test
	void unknownScopeIsAValidationError() {
		var tenant = api.newTenant("starter");
		var response = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "x", "scopes", List.of("root")));
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.code()).isEqualTo("invalid_scope");
	}

	@Test
	void operatorEndpointsNeedTheOperatorToken() {
		var tenant = api.newTenant("starter");
		var withKey = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("plan", "pro"));
		assertThat(withKey.status()).isEqualTo(401);
		var patched = api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("plan", "pro", "limits", Map.of("domains", 2)));
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.json().get("limits").get("domains").asInt()).isEqualTo(2);
		assertThat(patched.json().get("limits").get("mailboxes_per_domain").asInt()).isEqualTo(300);
	}
}
