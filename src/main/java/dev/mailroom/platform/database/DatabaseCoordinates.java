package dev.mailroom.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.mailroom.platform.MailroomSettings;

/**
 * Where the app's PostgreSQL listens, for the mail plane's own connections: the external server of
 * {@code MAILROOM_DATABASE_URL}, or the embedded one on loopback at the port it keeps in the data dir.
 */
public record DatabaseCoordinates(String host, int port, String database) {

	private static final java.util.regex.Pattern URL = java.util.regex.Pattern
		.compile("jdbc:postgresql://(\\[[^\\]]+]|[^/:,?\\[]+)(?::(\\d+))?(?:,[^/]*)?/([^?/]+).*");

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

	/**
	 * {@code jdbc:postgresql://host[:port]/database[?…]}: the first host of a multi-host URL. Parsed
	 * by hand: {@link java.net.URI} finds no host in names such as {@code mailroom_db}.
	 */
	static DatabaseCoordinates parse(String jdbcUrl) {
		var match = URL.matcher(jdbcUrl);
		if (!match.matches()) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL, or it names no host or database: "
					+ "expected jdbc:postgresql://host:port/database");
		}
		String host = match.group(1).replaceAll("^\\[|]$", "");
		int port = match.group(2) == null ? 5432 : Integer.parseInt(match.group(2));
		return new DatabaseCoordinates(host, port, match.group(3));
	}
}
