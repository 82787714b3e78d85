package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded database keeps its data in the data dir across a full stop and start. */
class EmbeddedDatabaseRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void dataSurvivesARestart() throws Exception {
		String email = "restart-" + UUID.randomUUID() + "@example.test";
		try (ConfigurableApplicationContext first = start()) {
			TestApi api = api(first);
			// the operator makes the account: sign-up needs a verification email, and this app has no relay
			String token = Files.readString(dataDir.resolve("operator-token")).strip();
			assertThat(api.send("POST", "/api/v1/operator/organizations", Map.of("name", "Restart", "plan", "free", "owner",
					Map.of("email", email, "password", TestApi.PASSWORD, "name", "Restart")), "Bearer " + token, Map.of())
				.status()).isEqualTo(201);
		}
		assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
		String generatedToken = Files.readString(dataDir.resolve("operator-token")).strip();

		try (ConfigurableApplicationContext second = start()) {
			TestApi api = api(second);
			var key = api.basic("POST", "/api/v1/api-keys", email, TestApi.PASSWORD,
					Map.of("name", "after restart", "scopes", List.of("domains:read")));
			assertThat(key.status()).isEqualTo(201);
			var operator = api.send("PATCH", "/api/v1/operator/organizations/" + key.text("organization_id"),
					Map.of("plan", "pro"), "Bearer " + generatedToken, Map.of());
			assertThat(operator.status()).as("the generated operator token is kept too").isEqualTo(200);
		}
	}

	private ConfigurableApplicationContext start() {
		// command-line arguments: they win over application.yml, unlike builder defaults
		return new SpringApplicationBuilder(MailroomApplication.class).run("--server.port=0",
				"--mailroom.data-dir=" + dataDir, "--logging.level.root=warn");
	}

	private static TestApi api(ConfigurableApplicationContext context) {
		return new TestApi(((WebServerApplicationContext) context).getWebServer().getPort());
	}
}
