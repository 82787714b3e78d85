package dev.mailroom.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/** Emailed one-time sign-in links (V15). */
@Repository
class SignInLinks {

	record Link(UUID id, UUID userId, Instant createdAt, Instant usedAt) {
	}

	private final JdbcClient jdbc;

	SignInLinks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	UUID create(UUID userId) {
		UUID id = UUID.randomUUID();
		jdbc.sql("insert into mailroom.sign_in_links (id, user_id) values (:id, :user)")
			.param("id", id)
			.param("user", userId)
			.update();
		return id;
	}

	Optional<Link> find(UUID id) {
		return jdbc.sql("select * from mailroom.sign_in_links where id = :id").param("id", id).query(SignInLinks::map).optional();
	}

	Optional<Link> lock(UUID id) {
		return jdbc.sql("select * from mailroom.sign_in_links where id = :id for update")
			.param("id", id)
			.query(SignInLinks::map)
			.optional();
	}

	/**
	 * Forgets links a day after they were sent: a link works for 15 minutes, so an older row,
	 * used or not, only says when someone was paused. Returns how many went.
	 */
	@Scheduled(fixedDelay = 60 * 60 * 1000, initialDelay = 5 * 60 * 1000)
	int purge() {
		return jdbc.sql("delete from mailroom.sign_in_links where created_at < now() - interval '1 day'").update();
	}

	void used(UUID id) {
		jdbc.sql("update mailroom.sign_in_links set used_at = now() where id = :id").param("id", id).update();
	}

	private static Link map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		java.sql.Timestamp used = rs.getTimestamp("used_at");
		return new Link(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
				rs.getTimestamp("created_at").toInstant(), used == null ? null : used.toInstant());
	}
}
