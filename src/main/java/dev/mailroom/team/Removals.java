package dev.mailroom.team;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Removals {

	/** A removal; {@code restorable} is computed by the database clock, like {@code removed_at}. */
	record Row(UUID id, Instant removedAt, Instant restoredAt, boolean restorable) {
	}

	private final JdbcClient jdbc;

	Removals(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a removal; returns its time (the database's clock). */
	Instant insert(UUID id, UUID orgId, UUID userId, String email, String removedBy) {
		return jdbc.sql("""
				insert into mailroom.team_removals (id, org_id, user_id, email, removed_by, mailbox_count)
				values (:id, :org, :user, :email, :by, 0)
				returning removed_at
				""")
			.param("id", id)
			.param("org", orgId)
			.param("user", userId)
			.param("email", email)
			.param("by", removedBy)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();
	}

	void mailboxCount(UUID id, int count) {
		jdbc.sql("update mailroom.team_removals set mailbox_count = :count where id = :id")
			.param("count", count)
			.param("id", id)
			.update();
	}

	/** The latest removal of the user from the organization, locked. */
	Optional<Row> lockLatest(UUID orgId, UUID userId, java.time.Duration window) {
		return jdbc.sql("""
				select id, removed_at, restored_at, removed_at > now() - make_interval(secs => :window) as restorable
				from mailroom.team_removals where org_id = :org and user_id = :user
				order by removed_at desc limit 1 for update
				""")
			.param("org", orgId)
			.param("user", userId)
			.param("window", window.toSeconds())
			.query((rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getTimestamp("removed_at").toInstant(),
					rs.getTimestamp("restored_at") == null ? null : rs.getTimestamp("restored_at").toInstant(),
					rs.getBoolean("restorable")))
			.optional();
	}

	void restored(UUID id) {
		jdbc.sql("update mailroom.team_removals set restored_at = now() where id = :id").param("id", id).update();
	}
}
