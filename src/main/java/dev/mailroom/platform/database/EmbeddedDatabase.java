package dev.mailroom.platform.database;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: a PostgreSQL server started from the zonky binaries, with its cluster
 * under {@code <data dir>/postgres} so data outlives restarts. It listens on loopback only.
 * On every start it makes sure the database and the two roles exist: the owner, which runs the
 * migrations and owns every table, and the application role, which owns nothing and has no
 * BYPASSRLS, so row-level security applies to every query the application makes.
 */
final class EmbeddedDatabase implements Closeable {

	static final String DATABASE = "mailroom";
	static final String OWNER = "mailroom_owner";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	private final EmbeddedPostgres postgres;

	private EmbeddedDatabase(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static EmbeddedDatabase start(Path dataDir, String appRole) throws IOException {
		Path cluster = dataDir.resolve("postgres").toAbsolutePath();
		Path work = dataDir.resolve("postgres-bin").toAbsolutePath();
		Files.createDirectories(work);
		long started = System.nanoTime();
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setPort(stablePort(dataDir.resolve("postgres-port")))
			.setDataDirectory(cluster)
			.setCleanDataDirectory(false)
			.setOverrideWorkingDirectory(work.toFile())
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("max_connections", "100")
			.setServerConfig("shared_buffers", "64MB")
			.setServerConfig("fsync", "on")
			.setRegisterShutdownHook(true)
			.start();
		EmbeddedDatabase database = new EmbeddedDatabase(postgres);
		try {
			database.bootstrap(appRole);
		}
		catch (SQLException e) {
			database.close();
			throw new IOException("Could not prepare the embedded database", e);
		}
		log.info("Embedded PostgreSQL ready on 127.0.0.1:{} in {} ms (data in {})", postgres.getPort(),
				(System.nanoTime() - started) / 1_000_000, cluster);
		return database;
	}

	/**
	 * The port chosen at the first start, kept in the data dir: the mail plane's generated config
	 * names it, so it must not change from one start to the next.
	 */
	static int stablePort(Path file) throws IOException {
		if (Files.exists(file)) {
			return Integer.parseInt(Files.readString(file).strip());
		}
		int port;
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Files.writeString(file, Integer.toString(port));
		return port;
	}

	private void bootstrap(String appRole) throws SQLException {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			createRoleIfMissing(statement, OWNER, "login nosuperuser createrole nobypassrls");
			createRoleIfMissing(statement, appRole, "login nosuperuser nocreaterole nobypassrls");
			statement.execute("grant \"" + appRole + "\" to " + OWNER + " with admin option");
			var exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
			if (!exists.next()) {
				statement.execute("create database " + DATABASE + " owner " + OWNER);
			}
		}
	}

	private static void createRoleIfMissing(Statement statement, String role, String options) throws SQLException {
		var exists = statement.executeQuery("select 1 from pg_roles where rolname = '" + role + "'");
		if (!exists.next()) {
			statement.execute("create role \"" + role + "\" " + options);
		}
	}

	String jdbcUrl() {
		return postgres.getJdbcUrl(OWNER, DATABASE).replaceFirst("\\?.*$", "") + "?currentSchema=mailroom";
	}

	@Override
	public void close() throws IOException {
		postgres.close();
	}
}
