package dev.mailroom.sharing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SharedMembers {

	record Row(UUID sharedMailboxId, UUID memberMailboxId, String permission, java.time.Instant addedAt) {
	}

	private final JdbcClient jdbc;

	SharedMembers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Adds a member; {@code false} if they already are one. */
	boolean add(UUID orgId, UUID sharedId, UUID memberId, String permission) {
		return jdbc.sql("""
				insert into mailroom.shared_members (org_id, shared_mailbox_id, member_mailbox_id, permission)
				values (:org, :shared, :member, :permission)
				on conflict (shared_mailbox_id, member_mailbox_id) do nothing
				""").param("org", orgId).param("shared", sharedId).param("member", memberId).param("permission", permission)
			.update() == 1;
	}

	List<Row> of(UUID sharedId) {
		return jdbc.sql("select * from mailroom.shared_members where shared_mailbox_id = :shared order by added_at, member_mailbox_id")
			.param("shared", sharedId)
			.query(SharedMembers::map)
			.list();
	}

	/** The shared mailboxes these mailboxes are members of. */
	List<Row> memberships(Collection<UUID> memberIds) {
		if (memberIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select * from mailroom.shared_members where member_mailbox_id = any(:ids)")
			.param("ids", memberIds.toArray(UUID[]::new))
			.query(SharedMembers::map)
			.list();
	}

	int setPermission(UUID sharedId, UUID memberId, String permission) {
		return jdbc.sql("update mailroom.shared_members set permission = :p where shared_mailbox_id = :s and member_mailbox_id = :m")
			.param("p", permission)
			.param("s", sharedId)
			.param("m", memberId)
			.update();
	}

	int remove(UUID sharedId, UUID memberId) {
		return jdbc.sql("delete from mailroom.shared_members where shared_mailbox_id = :s and member_mailbox_id = :m")
			.param("s", sharedId)
			.param("m", memberId)
			.update();
	}

	void removeAll(UUID sharedId) {
		jdbc.sql("delete from mailroom.shared_members where shared_mailbox_id = :s").param("s", sharedId).update();
	}

	List<Row> ofAll(Collection<UUID> sharedIds) {
		if (sharedIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select * from mailroom.shared_members where shared_mailbox_id = any(:ids)")
			.param("ids", sharedIds.toArray(UUID[]::new))
			.query(SharedMembers::map)
			.list();
	}

	private static Row map(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getObject("shared_mailbox_id", UUID.class), rs.getObject("member_mailbox_id", UUID.class),
				rs.getString("permission"), rs.getTimestamp("added_at").toInstant());
	}
}
