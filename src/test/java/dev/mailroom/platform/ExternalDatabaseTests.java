package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With MAILROOM_DATABASE_URL the app uses that server: the given (non-superuser) login runs the
 * migrations and owns the tables, and the application works as the role mailroom_app (SET ROLE),
 * which owns nothing and is subject to row-level security.
 */
class ExternalDatabaseTests {

	@TempDir
	Path dir;

	@Test
	void runsAgainstAnExternalServerAsTheApplicationRole() throws Exception {
		try (EmbeddedPostgres server = EmbeddedPostgres.builder()
			.setOverrideWorkingDirectory(dir.resolve("bin").toFile())
			.setDataDirectory(dir.resolve("cluster"))
			.start()) {
			try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
				s.execute("create role shop_owner login password 'owner-pw' createrole");
				s.execute("create database shop owner shop_owner");
			}
			String url = "jdbc:postgresql://localhost:" + server.getPort() + "/shop";
			try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailroomApplication.class).run(
					"--server.port=0", "--mailroom.data-dir=" + dir.resolve("data"), "--logging.level.root=warn",
					"--mailroom.database.url=" + url, "--mailroom.database.username=shop_owner",
					"--mailroom.database.password=owner-pw")) {
				TestApi api = new TestApi(((WebServerApplicationContext) app).getWebServer().getPort());
				// an account is made by the operator here: sign-up needs a verification email, and this app has no relay
				String operatorToken = java.nio.file.Files.readString(dir.resolve("data/operator-token")).strip();
				assertThat(api.send("POST", "/api/v1/operator/organizations", Map.of("name", "Ext", "plan", "free", "owner",
						Map.of("email", "ext-" + UUID.randomUUID() + "@example.test", "password", TestApi.PASSWORD, "name",
								"Ext")), "Bearer " + operatorToken, Map.of()).status())
					.isEqualTo(201);

				DataSource dataSource = app.getBean(DataSource.class);
				try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
					ResultSet who = s.executeQuery("select current_user, (select rolbypassrls from pg_roles where rolname = current_user)");
					who.next();
					assertThat(who.getString(1)).isEqualTo("mailroom_app");
					assertThat(who.getBoolean(2)).isFalse();
					ResultSet rows = s.executeQuery("select count(*) from mailroom.organizations");
					rows.next();
					assertThat(rows.getLong(1)).as("no tenant set: RLS hides every organization").isZero();
				}
			}
			try (Connection c = server.getDatabase("postgres", "shop").getConnection(); Statement s = c.createStatement()) {
				ResultSet owners = s.executeQuery(
						"select distinct tableowner from pg_tables where schemaname = 'mailroom'");
				owners.next();
				assertThat(owners.getString(1)).isEqualTo("shop_owner");
				assertThat(owners.next()).isFalse();
				ResultSet count = s.executeQuery("select count(*) from mailroom.users");
				count.next();
				assertThat(count.getLong(1)).isEqualTo(1);
			}
		}
	}
}
