package dev.mailroom.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A data dir whose cluster was made before passwords (zonky's initdb trusts every local
 * connection) is upgraded on the next start: its data stays, and from then on every login needs
 * its password. The mail plane's login keeps working with a password that holds quotes and
 * {@code $$} (pasted into SQL, it would end the literal or the DO block).
 */
class EmbeddedDatabaseUpgradeTests {

	private static final String MAILPLANE_PASSWORD = "it's a $$ pass'word$$ with \\ and \" -- 0123456789";

	@TempDir
	Path dataDir;

	@Test
	void aTrustingClusterIsUpgradedWithoutLosingData() throws Exception {
		int port = EmbeddedDatabase.stablePort(dataDir.resolve("postgres-port"));
		try (EmbeddedPostgres legacy = EmbeddedPostgres.builder()
			.setPort(port)
			.setDataDirectory(dataDir.resolve("postgres").toAbsolutePath())
			.setCleanDataDirectory(false)
			.setOverrideWorkingDirectory(dataDir.resolve("postgres-bin").toAbsolutePath().toFile())
			.setServerConfig("listen_addresses", "127.0.0.1")
			.start();
				Connection c = legacy.getPostgresDatabase().getConnection();
				Statement s = c.createStatement()) {
			s.execute("create table kept (value text)");
			s.execute("insert into kept values ('from before the upgrade')");
			try (Connection open = DriverManager.getConnection(url(port, "postgres"), "postgres", "")) {
				assertThat(open.isValid(1)).as("clusters made so far trust every local connection").isTrue();
			}
		}

		String email = "upgrade-" + UUID.randomUUID() + "@example.test";
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailroomApplication.class).run(
				"--server.port=0", "--mailroom.data-dir=" + dataDir, "--logging.level.root=warn",
				"--mailroom.mailplane.database-password=" + MAILPLANE_PASSWORD)) {
			TestApi api = new TestApi(((WebServerApplicationContext) app).getWebServer().getPort());
			assertThat(api.anonymous("POST", "/api/v1/signup",
					Map.of("email", email, "password", TestApi.PASSWORD, "name", "Upgrade")).status())
				.as("a sign-up is written (a pending verification) on the upgraded cluster")
				.isEqualTo(202);

			for (String role : new String[] { "postgres", EmbeddedDatabase.OWNER, "mailroom_app", "mailroom_mailplane" }) {
				assertThatThrownBy(() -> DriverManager.getConnection(url(port, "mailroom"), role, "").close())
					.as("%s without a password after the upgrade", role)
					.isInstanceOf(SQLException.class);
			}
			String superuser = Files.readString(dataDir.resolve("postgres-superuser-password")).strip();
			try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", superuser);
					Statement s = c.createStatement();
					ResultSet kept = s.executeQuery("select value from kept")) {
				assertThat(kept.next()).isTrue();
				assertThat(kept.getString(1)).isEqualTo("from before the upgrade");
			}
			try (Connection c = DriverManager.getConnection(url(port, "mailroom"), "mailroom_mailplane",
					MAILPLANE_PASSWORD); Statement s = c.createStatement();
					ResultSet who = s.executeQuery("select current_user")) {
				who.next();
				assertThat(who.getString(1)).as("the mail plane's login with a password full of quotes")
					.isEqualTo("mailroom_mailplane");
			}
		}
	}

	private static String url(int port, String database) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
	}
}
