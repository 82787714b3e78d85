package dev.mailroom.identity;

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

	void signedIn(UUID id) {
		jdbc.sql("update mailroom.users set last_sign_in_at = now() where id = :id").param("id", id).update();
	}
}
