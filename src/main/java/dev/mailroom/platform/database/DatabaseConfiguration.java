package dev.mailroom.platform.database;

import java.io.IOException;


import com.zaxxer.hikari.HikariDataSource;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.ServerSecrets;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Two data sources on one database: the owner's (migrations only) and the application's,
 * whose role owns no table and has no BYPASSRLS. Without {@code MAILROOM_DATABASE_URL} both
 * point at the embedded server; with it, the given user is the owner and the application uses
 * {@code MAILROOM_DATABASE_APP_USERNAME} if set, or the same login switched to the application
 * role with {@code SET ROLE} on every new connection.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	record Connections(String url, String ownerUser, String ownerPassword, String appUser, String appPassword,
			String appInitSql, EmbeddedDatabase embedded) implements AutoCloseable {

		@Override
		public void close() throws IOException {
			if (embedded != null) {
				embedded.close();
			}
		}
	}

	@Bean(destroyMethod = "close")
	Connections databaseConnections(MailroomSettings settings) throws IOException {
		MailroomSettings.Database db = settings.database();
		String appRole = db.appRole();
		if (db.external()) {
			boolean ownAppLogin = MailroomSettings.isSet(db.appUsername());
			return new Connections(db.url(), db.username(), db.password(),
					ownAppLogin ? db.appUsername() : db.username(), ownAppLogin ? db.appPassword() : db.password(),
					ownAppLogin ? null : "set role \"" + appRole + "\"", null);
		}
		EmbeddedDatabase embedded = EmbeddedDatabase.start(settings.dataDir(), appRole);
		return new Connections(embedded.jdbcUrl(), EmbeddedDatabase.OWNER, embedded.ownerPassword(), appRole,
				embedded.appPassword(), null, embedded);
	}

	@Bean
	@Primary
	HikariDataSource dataSource(Connections connections) {
		HikariDataSource dataSource = pool(connections.url(), connections.appUser(), connections.appPassword());
		dataSource.setPoolName("mailroom");
		dataSource.setMaximumPoolSize(20);
		if (connections.appInitSql() != null) {
			dataSource.setConnectionInitSql(connections.appInitSql());
		}
		return dataSource;
	}

	@Bean
	@FlywayDataSource
	HikariDataSource ownerDataSource(Connections connections) {
		HikariDataSource dataSource = pool(connections.url(), connections.ownerUser(), connections.ownerPassword());
		dataSource.setPoolName("mailroom-owner");
		dataSource.setMaximumPoolSize(4);
		dataSource.setMinimumIdle(0);
		return dataSource;
	}

	/**
	 * The mail plane login's password, for the after-migrate callback that sets it: base64, since a
	 * placeholder is pasted into the SQL text and a password may hold quotes or {@code $$}.
	 */
	@Bean
	FlywayConfigurationCustomizer mailplanePassword(ServerSecrets secrets) {
		return configuration -> {
			var placeholders = new java.util.HashMap<>(configuration.getPlaceholders());
			placeholders.put("mailplane_password_base64", java.util.Base64.getEncoder()
				.encodeToString(secrets.mailplaneDatabasePassword().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
			configuration.placeholders(placeholders);
		};
	}

	private static HikariDataSource pool(String url, String user, String password) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(user);
		dataSource.setPassword(password == null ? "" : password);
		return dataSource;
	}

}
