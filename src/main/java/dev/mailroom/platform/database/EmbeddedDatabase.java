package dev.mailroom.platform.database;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.mailroom.platform.SecretFiles;
import dev.mailroom.platform.ServerSecrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: a PostgreSQL server started from the zonky binaries, with its cluster
 * under {@code <data dir>/postgres} so data outlives restarts. It listens on loopback only.
 * On every start it makes sure the database and the two roles exist: the owner, which runs the
 * migrations and owns every table, and the application role, which owns nothing and has no
 * BYPASSRLS, so row-level security applies to every query the application makes.
 *
 * <p>Every connection needs a password ({@code scram-sha-256} in {@code pg_hba.conf}): zonky's
 * initdb trusts any local connection, which would let any process on the machine read every
 * password hash and session as {@code postgres}. Passwords rather than a private Unix socket,
 * because the mail plane (Dovecot, Postfix, the milter) logs in over TCP to the same server. The
 * superuser's, the owner's and the application role's passwords are generated once into the data
 * dir (0600). A cluster made before this (trusting) is upgraded on its next start: the passwords
 * are set while it still trusts, then {@code pg_hba.conf} is rewritten and reloaded.
 */
final class EmbeddedDatabase implements Closeable {

	static final String DATABASE = "mailroom";
	static final String OWNER = "mailroom_owner";
	static final String SUPERUSER = "postgres";

	/** Password authentication for every local connection, over TCP and the Unix socket alike. */
	static final String PG_HBA = """
			# Written by Mailroom at every start: every connection needs its password.
			# TYPE  DATABASE  USER  ADDRESS       METHOD
			local   all       all                 scram-sha-256
			host    all       all   127.0.0.1/32  scram-sha-256
			host    all       all   ::1/128       scram-sha-256
			""";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	private final EmbeddedPostgres postgres;
	private final Path cluster;
	private final String ownerPassword;
	private final String appPassword;

	private EmbeddedDatabase(EmbeddedPostgres postgres, Path cluster, String ownerPassword, String appPassword) {
		this.postgres = postgres;
		this.cluster = cluster;
		this.ownerPassword = ownerPassword;
		this.appPassword = appPassword;
	}

	static EmbeddedDatabase start(Path dataDir, String appRole) throws IOException {
		Path cluster = dataDir.resolve("postgres").toAbsolutePath();
		Path work = dataDir.resolve("postgres-bin").toAbsolutePath();
		Files.createDirectories(work);
		Path superuserPasswordFile = dataDir.resolve("postgres-superuser-password").toAbsolutePath();
		String superuserPassword = password(superuserPasswordFile);
		String ownerPassword = password(dataDir.resolve("postgres-owner-password"));
		String appPassword = password(dataDir.resolve("postgres-app-password"));
		long started = System.nanoTime();
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setPort(stablePort(dataDir.resolve("postgres-port")))
			.setDataDirectory(cluster)
			.setCleanDataDirectory(false)
			.setOverrideWorkingDirectory(work.toFile())
			// initdb options (zonky passes these as --key=value after its own "-A trust"): a new
			// cluster asks for passwords from the start, the superuser's read from its 0600 file
			.setLocaleConfig("auth", "scram-sha-256")
			.setLocaleConfig("pwfile", superuserPasswordFile.toString())
			// how zonky itself connects (readiness check, getPostgresDatabase())
			.setConnectConfig("password", superuserPassword)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("password_encryption", "scram-sha-256")
			.setServerConfig("max_connections", "100")
			.setServerConfig("shared_buffers", "64MB")
			.setServerConfig("fsync", "on")
			.setRegisterShutdownHook(true)
			.start();
		EmbeddedDatabase database = new EmbeddedDatabase(postgres, cluster, ownerPassword, appPassword);
		try {
			database.bootstrap(appRole, superuserPassword);
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

	private static String password(Path file) {
		return SecretFiles.readOrCreate(file, () -> ServerSecrets.randomToken(32));
	}

	private void bootstrap(String appRole, String superuserPassword) throws SQLException {
		try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
			// set at every start: the files are the truth, and a cluster that trusted gets them here
			execute(connection, "alter role %I password %L", SUPERUSER, superuserPassword);
			createRoleIfMissing(connection, OWNER, "login nosuperuser createrole nobypassrls");
			createRoleIfMissing(connection, appRole, "login nosuperuser nocreaterole nobypassrls");
			execute(connection, "alter role %I login password %L", OWNER, ownerPassword);
			execute(connection, "alter role %I login password %L", appRole, appPassword);
			execute(connection, "grant %I to %I with admin option", appRole, OWNER);
			if (!exists(connection, "select 1 from pg_database where datname = ?", DATABASE)) {
				execute(connection, "create database %I owner %I", DATABASE, OWNER);
			}
			requirePasswords(connection);
		}
	}

	/** Rewrites {@code pg_hba.conf} if it is not ours (a trusting cluster) and has the server reload it. */
	private void requirePasswords(Connection connection) throws SQLException {
		Path hba = cluster.resolve("pg_hba.conf");
		try {
			if (Files.exists(hba) && Files.readString(hba).equals(PG_HBA)) {
				return;
			}
		}
		catch (IOException e) {
			throw new SQLException("Cannot read " + hba, e);
		}
		SecretFiles.write(hba, PG_HBA);
		try (Statement statement = connection.createStatement()) {
			statement.execute("select pg_reload_conf()");
		}
		log.info("The embedded PostgreSQL now requires passwords (pg_hba.conf rewritten)");
		awaitPasswordsRequired();
	}

	/** The reload is a signal: wait until a connection without a password is refused. */
	private void awaitPasswordsRequired() {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (System.nanoTime() < deadline) {
			try (Connection ignored = java.sql.DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", SUPERUSER, "")) {
				Thread.sleep(50);
			}
			catch (SQLException refused) {
				return;
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		log.warn("The embedded PostgreSQL still accepts connections without a password");
	}

	private static void createRoleIfMissing(Connection connection, String role, String options) throws SQLException {
		if (!exists(connection, "select 1 from pg_roles where rolname = ?", role)) {
			execute(connection, "create role %I " + options, role);
		}
	}

	private static boolean exists(Connection connection, String query, String value) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			statement.setString(1, value);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next();
			}
		}
	}

	/**
	 * Runs {@code template} with its {@code %I} / {@code %L} arguments quoted by PostgreSQL's own
	 * {@code format()}: names and passwords are never pasted into SQL by hand.
	 */
	private static void execute(Connection connection, String template, String... arguments) throws SQLException {
		String sql;
		try (PreparedStatement format = connection
			.prepareStatement("select format(?" + ", ?".repeat(arguments.length) + ")")) {
			format.setString(1, template);
			for (int i = 0; i < arguments.length; i++) {
				format.setString(i + 2, arguments[i]);
			}
			try (ResultSet result = format.executeQuery()) {
				result.next();
				sql = result.getString(1);
			}
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	String ownerPassword() {
		return ownerPassword;
	}

	String appPassword() {
		return appPassword;
	}

	String jdbcUrl() {
		return postgres.getJdbcUrl(OWNER, DATABASE).replaceFirst("\\?.*$", "") + "?currentSchema=mailroom";
	}

	@Override
	public void close() throws IOException {
		postgres.close();
	}
}
