package dev.mailroom.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the mail plane's own connections go: the host, port and database of the app's JDBC URL,
 * which end up in Dovecot's and Postfix's SQL settings and in the milter's pool.
 */
class DatabaseCoordinatesTests {

	@Test
	void readsHostPortAndDatabaseAndIgnoresTheParameters() {
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://db.example:6543/mail?sslmode=require"))
			.isEqualTo(new DatabaseCoordinates("db.example", 6543, "mail"));
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://10.0.0.7:5433/mailroom?user=x&password=y"))
			.isEqualTo(new DatabaseCoordinates("10.0.0.7", 5433, "mailroom"));
	}

	@Test
	void thePortDefaultsToPostgresqlsOwn() {
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://db.example/mail"))
			.isEqualTo(new DatabaseCoordinates("db.example", 5432, "mail"));
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://db.example/mail?ssl=true").port()).isEqualTo(5432);
	}

	@Test
	void aMultiHostUrlTakesTheFirstHost() {
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://primary.example:5433,standby.example:5434/mail"
				+ "?targetServerType=primary")).isEqualTo(new DatabaseCoordinates("primary.example", 5433, "mail"));
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://one.example,two.example:6000,three.example/mail"))
			.isEqualTo(new DatabaseCoordinates("one.example", 5432, "mail"));
	}

	@Test
	void aUrlThatIsNotPostgresqlOrNamesNoDatabaseIsRefused() {
		for (String url : new String[] { "jdbc:mysql://db.example:3306/mail", "postgresql://db.example/mail",
				"jdbc:h2:mem:mail", "jdbc:postgresql:mail" }) {
			assertThatThrownBy(() -> DatabaseCoordinates.parse(url)).as(url)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("jdbc:postgresql://host:port/database");
		}
		for (String url : new String[] { "jdbc:postgresql://db.example:5432/", "jdbc:postgresql://db.example:5432",
				"jdbc:postgresql://db.example?sslmode=require", "jdbc:postgresql:///mail" }) {
			assertThatThrownBy(() -> DatabaseCoordinates.parse(url)).as(url)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("no host or database");
		}
	}

	/**
	 * Container names such as docker compose's
	 * {@code mailroom_db} carry underscores. PostgreSQL's driver connects to them, but
	 * java.net.URI reads no host in such a URL, so the mail plane refuses the app's own database.
	 */
	@Test
	void aHostNameWithAnUnderscoreIsAHost() {
		assertThat(DatabaseCoordinates.parse("jdbc:postgresql://mailroom_db:5432/mail"))
			.isEqualTo(new DatabaseCoordinates("mailroom_db", 5432, "mail"));
	}

	@Test
	void anExternalDatabaseIsReadFromItsUrl() {
		MailroomSettings settings = new MailroomSettings(Path.of("/nonexistent-data-dir"), null, null, null, false, 30,
				null, null, 0, false, null,
				new MailroomSettings.Database("jdbc:postgresql://pg.internal:5544/prod", "owner", "pw", "mailroom_app",
						null, null),
				null, null);
		assertThat(DatabaseCoordinates.of(settings)).isEqualTo(new DatabaseCoordinates("pg.internal", 5544, "prod"));
	}

	@Test
	void theEmbeddedDatabaseIsOnLoopbackAtThePortKeptInTheDataDir(@TempDir Path dataDir) throws Exception {
		MailroomSettings settings = new MailroomSettings(dataDir, null, null, null, false, 30, null, null, 0, false, null,
				new MailroomSettings.Database("", null, null, "mailroom_app", null, null), null, null);
		Files.writeString(dataDir.resolve("postgres-port"), "54329\n");
		assertThat(DatabaseCoordinates.of(settings)).isEqualTo(new DatabaseCoordinates("127.0.0.1", 54329, "mailroom"));

		Files.delete(dataDir.resolve("postgres-port"));
		DatabaseCoordinates first = DatabaseCoordinates.of(settings);
		assertThat(first.port()).isBetween(1, 65535);
		assertThat(Files.readString(dataDir.resolve("postgres-port")).strip()).isEqualTo(Integer.toString(first.port()));
		assertThat(DatabaseCoordinates.of(settings)).as("the port chosen once is kept").isEqualTo(first);
	}
}
