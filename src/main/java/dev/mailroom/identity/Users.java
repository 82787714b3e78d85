package dev.mailroom.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Users {

	record Credentials(UUID id, String email, String name, String passwordHash) {
	}

	private final JdbcClient jdbc;

	Users(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts the user; {@code false} if the email is taken (nothing inserted). */
	boolean insert(UUID id, String email, String name, String passwordHash) {
		return jdbc.sql("""
				insert into mailroom.users (id, email, name, password_hash) values (:id, :email, :name, :hash)
				on conflict (email) do nothing
				""").param("id", id).param("email", email).param("name", name).param("hash", passwordHash).update() == 1;
	}

	boolean exists(String email) {
		return jdbc.sql("select count(*) from mailroom.users where email = :email").param("email", email)
			.query(Long.class).single() > 0;
	}

	Optional<Credentials> credentials(String email) {
		return jdbc.sql("select id, email, name, password_hash from mailroom.users where email = :email and login_enabled")
			.param("email", email)
			.query(Credentials.class)
			.optional();
	}

	Optional<UserView> find(UUID id) {
		return jdbc.sql("select id, email, name, created_at from mailroom.users where id = :id")
			.param("id", id)
			.query(Users::user)
			.optional();
	}

	Optional<UserView> findByEmail(String email) {
		return jdbc.sql("select id, email, name, created_at from mailroom.users where email = :email")
			.param("email", email)
			.query(Users::user)
			.optional();
	}

	private static UserView user(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new UserView(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
				rs.getTimestamp("created_at").toInstant());
	}

	java.util.List<UserView> findAll(java.util.Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return java.util.List.of();
		}
		return jdbc.sql("select id, email, name, created_at from mailroom.users where id = any(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query(Users::user)
			.list();
	}

	java.util.Map<UUID, java.time.Instant> lastSignIns(java.util.Collection<UUID> ids) {
		java.util.Map<UUID, java.time.Instant> result = new java.util.HashMap<>();
		if (ids.isEmpty()) {
			return result;
		}
		jdbc.sql("select id, last_sign_in_at from mailroom.users where id = any(:ids) and last_sign_in_at is not null")
			.param("ids", ids.toArray(UUID[]::new))
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
			.list()
			.forEach(e -> result.put(e.getKey(), e.getValue()));
		return result;
	}

	/** Ends every web session of the user (Spring Session indexes them by the user id). */
	int endSessions(UUID id) {
		return jdbc.sql("delete from mailroom.spring_session where principal_name = :id").param("id", id.toString()).update();
	}

	void signedIn(UUID id) {
		jdbc.sql("update mailroom.users set last_sign_in_at = now() where id = :id").param("id", id).update();
	}
}
