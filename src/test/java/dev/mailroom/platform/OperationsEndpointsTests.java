package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

@MailroomTest
@ExtendWith(OutputCaptureExtension.class)
class OperationsEndpointsTests {

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	@Test
	void healthIsPublicAndMetricsNeedTheOperatorToken() {
		var health = api.anonymous("GET", "/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.text("status")).isEqualTo("UP");
		assertThat(api.anonymous("GET", "/actuator/prometheus", null).status()).isEqualTo(401);
		var metrics = api.operator("GET", "/actuator/prometheus", null);
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.raw().body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
	}

	@Test
	void openApiDocumentsEveryEndpointAndTheProblemCodes() {
		var docs = api.anonymous("GET", "/v3/api-docs", null);
		assertThat(docs.status()).isEqualTo(200);
		var paths = docs.json().get("paths");
		for (String path : List.of("/api/v1/signup", "/api/v1/api-keys", "/api/v1/api-keys/{id}", "/api/v1/domains",
				"/api/v1/domains/{id}", "/api/v1/domains/{id}/verify", "/api/v1/operator/organizations",
				"/api/v1/operator/organizations/{id}", "/api/v1/operator/domains/{id}/mark-verified",
				"/api/v1/audit-events", "/api/v1/email-verifications/{token}",
				"/api/v1/ownership-invitations/{token}/accept")) {
			assertThat(paths.has(path)).as(path).isTrue();
		}
		String text = docs.raw().body();
		assertThat(text).contains("Problem").contains("dns_record_not_found").contains("daily_quota_exceeded")
			.contains("idempotency_key_reused").contains("insufficient_scope").contains("Idempotency-Key")
			.contains("email_not_verified").contains("verification_expired").contains("verification_used");
	}

	@Test
	void everyResponseCarriesARequestId() {
		assertThat(api.anonymous("GET", "/api/v1/domains", null).header("X-Request-Id")).isNotBlank();
		var echoed = api.send("GET", "/actuator/health", null, null, Map.of("X-Request-Id", "trace-1234567890"));
		assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-1234567890");
	}

	@Test
	void logsNeverContainPasswordsOrTokens(CapturedOutput output) {
		String email = "logcheck-" + UUID.randomUUID() + "@example.test";
		String password = "Very-Secret-Password-" + UUID.randomUUID();
		api.signUpVerified(email, password, "Log");
		var key = api.basic("POST", "/api/v1/api-keys", email, password, Map.of("name", "k", "scopes", List.of("domains:read")));
		String token = key.text("token");
		api.bearer(token, "GET", "/api/v1/domains", null);
		api.bearer(token + "x", "GET", "/api/v1/domains", null);
		api.basic("POST", "/api/v1/api-keys", email, password + "wrong", Map.of("name", "k", "scopes", List.of("domains:read")));

		assertThat(output.getAll()).doesNotContain(password).doesNotContain(token).doesNotContain(token.substring(3, 40));
	}
}
