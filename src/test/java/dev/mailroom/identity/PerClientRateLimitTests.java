package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The per-client limits on public endpoints, in an app of its own with small limits (the shared
 * test context raises them, since the whole suite runs from one address).
 */
class PerClientRateLimitTests {

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;
	static TestApi api;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(MailroomApplication.class).run("--server.port=0",
				"--mailroom.data-dir=" + dataDir, "--logging.level.root=warn",
				"--mailroom.operator-token=" + TestApi.OPERATOR_TOKEN, "--mailroom.rate-limits.signin-client=4",
				"--mailroom.rate-limits.signup-client=2", "--mailroom.rate-limits.recovery-client=3");
		api = new TestApi(((WebServerApplicationContext) app).getWebServer().getPort());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void signInsFromOneClientAreLimitedAcrossAccounts() {
		int refused = 0;
		for (int i = 0; i < 6; i++) {
			var attempt = api.basic("POST", "/api/v1/api-keys", "someone-" + i + "@example.test", "wrong-password-1",
					Map.of("name", "x", "scopes", List.of("domains:read")));
			if (attempt.status() == 429) {
				assertThat(attempt.code()).isEqualTo("too_many_attempts");
				refused++;
			}
			else {
				assertThat(attempt.status()).isEqualTo(401);
			}
		}
		assertThat(refused).isEqualTo(2);
	}

	@Test
	void signUpsFromOneClientAreLimited() {
		for (int i = 0; i < 2; i++) {
			assertThat(api.anonymous("POST", "/api/v1/signup", Map.of("email", "new-" + UUID.randomUUID() + "@example.test",
					"password", TestApi.PASSWORD, "name", "N")).status()).isEqualTo(202);
		}
		var third = api.anonymous("POST", "/api/v1/signup",
				Map.of("email", "new-" + UUID.randomUUID() + "@example.test", "password", TestApi.PASSWORD, "name", "N"));
		assertThat(third.status()).isEqualTo(429);
		assertThat(third.code()).isEqualTo("rate_limited");
		assertThat(third.header("Retry-After")).isNotBlank();
	}

	@Test
	void recoveryAttemptsFromOneClientAreLimited() {
		for (int i = 0; i < 3; i++) {
			assertThat(api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "x" + i + "@example.test",
					"recovery_code", "AAAAA-BBBBB-CCCCC-DDDDD", "new_password", "Whatever-pass-12")).status()).isEqualTo(400);
		}
		var limited = api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "y@example.test",
				"recovery_code", "AAAAA-BBBBB-CCCCC-DDDDD", "new_password", "Whatever-pass-12"));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("too_many_attempts");
	}
}
