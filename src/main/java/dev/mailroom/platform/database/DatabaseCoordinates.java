package dev.mailroom.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

import dev.mailroom.platform.MailroomSettings;

/**
 * Where the app's PostgreSQL listens, for the mail plane's own connections: the external server of
 * {@code MAILROOM_DATABASE_URL}, or the embedded one on loopback at the port it keeps in the data dir.
 */
public record DatabaseCoordinates(String host, int port, String database) {

	public static DatabaseCoordinates of(MailroomSettings settings) {
		MailroomSettings.Database db = settings.database();
		if (db != null && db.external()) {
			return parse(db.url());
		}
		try {
			return new DatabaseCoordinates("127.0.0.1",
					EmbeddedDatabase.stablePort(settings.dataDir().resolve("postgres-port")), EmbeddedDatabase.DATABASE);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** {@code jdbc:postgresql://host[:port]/database[?…]}: the first host of a multi-host URL. */
	static DatabaseCoordinates parse(String jdbcUrl) {
		if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: expected jdbc:postgresql://host:port/database");
		}
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()).replaceFirst(",[^/]*", ""));
		String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
		if (uri.getHost() == null || path.isEmpty()) {
			throw new IllegalArgumentException("The JDBC URL names no host or database");
		}
		return new DatabaseCoordinates(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path);
	}
}
