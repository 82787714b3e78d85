package dev.mailroom.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.mailroom.MailroomTest;
import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded PostgreSQL is not open to other local processes: every login needs its password,
 * which only the data dir's 0600 files hold.
 */
@MailroomTest
class EmbeddedDatabaseAuthenticationTests {

	@Autowired
	MailroomSettings settings;

	@Test
	void aConnectionWithoutThePasswordIsRefused() {
		for (String role : new String[] { "postgres", EmbeddedDatabase.OWNER, settings.database().appRole(),
				settings.mailplane().databaseRole() }) {
			for (String database : new String[] { "postgres", EmbeddedDatabase.DATABASE }) {
				assertThatThrownBy(() -> connect(role, database, "").close()).as("%s without a password", role)
					.isInstanceOf(SQLException.class);
				assertThatThrownBy(() -> connect(role, database, "wrong-password").close()).as("%s with a wrong one", role)
					.isInstanceOf(SQLException.class);
			}
		}
	}

	@Test
	void theGeneratedPasswordsWorkAndAreReadableByTheOwnerOnly() throws Exception {
		Path dir = settings.dataDir();
		String[][] logins = { { "postgres", "postgres-superuser-password" },
				{ EmbeddedDatabase.OWNER, "postgres-owner-password" },
				{ settings.database().appRole(), "postgres-app-password" } };
		for (String[] login : logins) {
			Path file = dir.resolve(login[1]);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(login[1])
				.isEqualTo("rw-------");
			try (Connection connection = connect(login[0], EmbeddedDatabase.DATABASE, Files.readString(file).strip());
					Statement statement = connection.createStatement();
					ResultSet who = statement.executeQuery("select current_user")) {
				who.next();
				assertThat(who.getString(1)).isEqualTo(login[0]);
			}
		}
		for (String secret : new String[] { "postgres-superuser-password", "postgres-owner-password",
				"postgres-app-password", "mailplane-database-password", "doveadm-api-key" }) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret)))).as(secret)
				.isEqualTo("rw-------");
		}
		assertThat(Files.readString(dir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust")
			.contains("scram-sha-256");
	}

	private Connection connect(String user, String database, String password) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
				+ DatabaseCoordinates.of(settings).port() + "/" + database, user, password);
	}
}
