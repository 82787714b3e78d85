package dev.mailroom.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sign-ups waiting for their email to be verified (V9). */
@Repository
class EmailVerifications {

	record Pending(UUID id, String email, String name, String passwordHash, int version, Instant sentAt,
			Instant verifiedAt) {
	}

	private final JdbcClient jdbc;

	EmailVerifications(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The pending sign-up of {@code email}, new or replaced: a repeated sign-up takes the new
	 * name and password and a new link version (the older link dies). Returns it as it is now.
	 */
	Pending upsert(String email, String name, String passwordHash) {
		return jdbc.sql("""
				insert into mailroom.email_verifications (id, email, name, password_hash)
				values (:id, :email, :name, :hash)
				on conflict (email) where verified_at is null do update
				  set name = excluded.name, password_hash = excluded.password_hash,
				      version = mailroom.email_verifications.version + 1, sent_at = now()
				returning *
				""").param("id", UUID.randomUUID()).param("email", email).param("name", name).param("hash", passwordHash)
			.query(EmailVerifications::map)
			.single();
	}

	Optional<Pending> pending(String email) {
		return jdbc.sql("select * from mailroom.email_verifications where email = :email and verified_at is null")
			.param("email", email)
			.query(EmailVerifications::map)
			.optional();
	}

	Optional<Pending> find(UUID id) {
		return jdbc.sql("select * from mailroom.email_verifications where id = :id")
			.param("id", id)
			.query(EmailVerifications::map)
			.optional();
	}

	Optional<Pending> lock(UUID id) {
		return jdbc.sql("select * from mailroom.email_verifications where id = :id for update")
			.param("id", id)
			.query(EmailVerifications::map)
			.optional();
	}

	/** A new link for a pending sign-up (the older one dies); its new version. */
	Optional<Integer> renew(UUID id) {
		return jdbc.sql("""
				update mailroom.email_verifications set version = version + 1, sent_at = now()
				where id = :id and verified_at is null returning version
				""").param("id", id).query(Integer.class).optional();
	}

	/** Used up: the password hash goes with it (it now lives in mailroom.users). */
	void verified(UUID id) {
		jdbc.sql("update mailroom.email_verifications set verified_at = now(), password_hash = null where id = :id")
			.param("id", id)
			.update();
	}

	/** Someone else won the address (a mailbox login, an invite, the operator): the sign-up is gone. */
	void drop(String email) {
		jdbc.sql("delete from mailroom.email_verifications where email = :email and verified_at is null")
			.param("email", email)
			.update();
	}

	private static Pending map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		java.sql.Timestamp verified = rs.getTimestamp("verified_at");
		return new Pending(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
				rs.getString("password_hash"), rs.getInt("version"), rs.getTimestamp("sent_at").toInstant(),
				verified == null ? null : verified.toInstant());
	}
}
