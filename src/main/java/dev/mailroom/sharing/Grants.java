package dev.mailroom.sharing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Grants {

	/** A grant row: who, on which mailbox of which organization. */
	record Row(UUID orgId, UUID mailboxId, UUID userId, String permission, Instant grantedAt, Instant accessUntil) {
	}

	private final JdbcClient jdbc;

	Grants(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Adds a grant; {@code false} if the user holds one on this mailbox already. */
	boolean add(UUID orgId, UUID mailboxId, UUID userId, String permission, Instant accessUntil, UUID inviteId) {
		return jdbc.sql("""
				insert into mailroom.grants (org_id, mailbox_id, user_id, permission, access_until, invite_id)
				values (:org, :mailbox, :user, :permission, :until, :invite)
				on conflict (mailbox_id, user_id) do nothing
				""")
			.param("org", orgId)
			.param("mailbox", mailboxId)
			.param("user", userId)
			.param("permission", permission)
			.param("until", accessUntil == null ? null : Timestamp.from(accessUntil))
			.param("invite", inviteId)
			.update() == 1;
	}

	List<Row> of(UUID mailboxId) {
		return jdbc.sql("select * from mailroom.grants where mailbox_id = :m order by granted_at, user_id")
			.param("m", mailboxId)
			.query(Grants::map)
			.list();
	}

	Optional<Row> find(UUID mailboxId, UUID userId) {
		return jdbc.sql("select * from mailroom.grants where mailbox_id = :m and user_id = :u")
			.param("m", mailboxId)
			.param("u", userId)
			.query(Grants::map)
			.optional();
	}

	/** The grants made to a user, across organizations (read through the user policy). */
	List<Row> ofUser(UUID userId) {
		return jdbc.sql("select * from mailroom.grants where user_id = :u order by granted_at").param("u", userId)
			.query(Grants::map)
			.list();
	}

	void update(UUID mailboxId, UUID userId, String permission, Instant accessUntil) {
		jdbc.sql("update mailroom.grants set permission = :p, access_until = :until where mailbox_id = :m and user_id = :u")
			.param("p", permission)
			.param("until", accessUntil == null ? null : Timestamp.from(accessUntil))
			.param("m", mailboxId)
			.param("u", userId)
			.update();
	}

	int remove(UUID mailboxId, UUID userId) {
		return jdbc.sql("delete from mailroom.grants where mailbox_id = :m and user_id = :u")
			.param("m", mailboxId)
			.param("u", userId)
			.update();
	}

	/** Deletes every grant the organization gave the user; returns the mailboxes they were on. */
	List<UUID> removeAllOf(UUID orgId, UUID userId) {
		return jdbc.sql("delete from mailroom.grants where org_id = :o and user_id = :u returning mailbox_id")
			.param("o", orgId)
			.param("u", userId)
			.query(UUID.class)
			.list();
	}

	private static Row map(ResultSet rs, int row) throws SQLException {
		Timestamp until = rs.getTimestamp("access_until");
		return new Row(rs.getObject("org_id", UUID.class), rs.getObject("mailbox_id", UUID.class),
				rs.getObject("user_id", UUID.class), rs.getString("permission"), rs.getTimestamp("granted_at").toInstant(),
				until == null ? null : until.toInstant());
	}
}
