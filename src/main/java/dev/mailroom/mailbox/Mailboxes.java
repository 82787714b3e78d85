package dev.mailroom.mailbox;

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
class Mailboxes {

	/** The filters of a list; {@code null} means "any". Without a status, the recycle bin is left out. */
	record Filter(UUID domainId, String kind, String status, String query, UUID visibleToUser,
			List<UUID> domainLimit) {
	}

	private final JdbcClient jdbc;

	Mailboxes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID id, UUID orgId, UUID domainId, String localPart, String address, String kind, String displayName,
			Integer storageMb, UUID loginUserId, UUID ownerUserId) {
		jdbc.sql("""
				insert into mailroom.mailboxes (id, org_id, domain_id, local_part, address, kind, status, display_name,
				                                storage_allocation_mb, login_user_id, owner_user_id)
				values (:id, :org, :domain, :local, :address, :kind, 'active', :display, :storage, :login, :owner)
				""")
			.param("id", id)
			.param("org", orgId)
			.param("domain", domainId)
			.param("local", localPart)
			.param("address", address)
			.param("kind", kind)
			.param("display", displayName)
			.param("storage", storageMb)
			.param("login", loginUserId)
			.param("owner", ownerUserId)
			.update();
	}

	/** Whether the address is used by any mailbox, in any status (trashed ones keep it reserved). */
	boolean addressTaken(String address) {
		return jdbc.sql("select count(*) from mailroom.mailboxes where address = :a").param("a", address)
			.query(Long.class)
			.single() > 0;
	}

	java.util.Set<String> takenLocalParts(UUID domainId, java.util.Collection<String> localParts) {
		if (localParts.isEmpty()) {
			return java.util.Set.of();
		}
		return new java.util.HashSet<>(jdbc.sql("select local_part from mailroom.mailboxes where domain_id = :d and local_part = any(:lps)")
			.param("d", domainId)
			.param("lps", localParts.toArray(String[]::new))
			.query(String.class)
			.list());
	}

	Optional<MailboxView> find(UUID id) {
		return jdbc.sql("select * from mailroom.mailboxes where id = :id and removal_id is null").param("id", id)
			.query(Mailboxes::map)
			.optional();
	}

	List<MailboxView> page(UUID orgId, Filter filter, Instant afterCreated, UUID afterId, int limit) {
		return jdbc.sql("""
				select * from mailroom.mailboxes
				where org_id = :org and removal_id is null
				  and (cast(:domain as uuid) is null or domain_id = :domain)
				  and (cast(:kind as text) is null or kind = :kind)
				  and (case when cast(:status as text) is null then status <> 'trashed' else status = :status end)
				  and (cast(:q as text) is null or strpos(address, :q) > 0 or strpos(lower(coalesce(display_name, '')), :q) > 0)
				  and (cast(:user as uuid) is null or owner_user_id = :user or login_user_id = :user)
				  and (cast(:domains as uuid[]) is null or domain_id = any(:domains))
				  and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
				order by created_at, id
				limit :limit
				""")
			.param("org", orgId)
			.param("domain", filter.domainId())
			.param("kind", filter.kind())
			.param("status", filter.status())
			.param("q", filter.query())
			.param("user", filter.visibleToUser())
			.param("domains", filter.domainLimit() == null ? null : filter.domainLimit().toArray(UUID[]::new))
			.param("afterCreated", afterCreated == null ? null : Timestamp.from(afterCreated))
			.param("afterId", afterId)
			.param("limit", limit)
			.query(Mailboxes::map)
			.list();
	}

	long countSharedOnDomain(UUID domainId) {
		return jdbc.sql("select count(*) from mailroom.mailboxes where domain_id = :d and kind = 'shared' and status <> 'trashed'")
			.param("d", domainId)
			.query(Long.class)
			.single();
	}

	Optional<MailboxView> lock(UUID id) {
		return jdbc.sql("select * from mailroom.mailboxes where id = :id for update").param("id", id).query(Mailboxes::map)
			.optional();
	}

	List<MailboxView> byIds(java.util.Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select * from mailroom.mailboxes where id = any(:ids) and removal_id is null")
			.param("ids", ids.toArray(UUID[]::new))
			.query(Mailboxes::map)
			.list();
	}

	void setKind(UUID id, String kind, UUID loginUserId) {
		jdbc.sql("update mailroom.mailboxes set kind = :kind, login_user_id = :login where id = :id")
			.param("kind", kind)
			.param("login", loginUserId)
			.param("id", id)
			.update();
	}

	/** Mailboxes that hold a slot on the domain (the recycle bin does not). */
	long countOnDomain(UUID domainId) {
		return jdbc.sql("select count(*) from mailroom.mailboxes where domain_id = :d and status <> 'trashed'")
			.param("d", domainId)
			.query(Long.class)
			.single();
	}

	long countAnyOnDomain(UUID domainId) {
		return jdbc.sql("select count(*) from mailroom.mailboxes where domain_id = :d").param("d", domainId)
			.query(Long.class)
			.single();
	}

	long countWithStatus(UUID orgId, String status) {
		return jdbc.sql("select count(*) from mailroom.mailboxes where org_id = :org and status = :status and removal_id is null")
			.param("org", orgId)
			.param("status", status)
			.query(Long.class)
			.single();
	}

	/** Dedicated storage of mailboxes that are not in the recycle bin. */
	long allocatedStorageMb(UUID orgId) {
		return jdbc.sql("""
				select coalesce(sum(storage_allocation_mb), 0) from mailroom.mailboxes
				where org_id = :org and status <> 'trashed'
				""").param("org", orgId).query(Long.class).single();
	}

	void update(UUID id, String displayName, Integer storageMb) {
		jdbc.sql("update mailroom.mailboxes set display_name = :display, storage_allocation_mb = :storage where id = :id")
			.param("display", displayName)
			.param("storage", storageMb)
			.param("id", id)
			.update();
	}

	void setStatus(UUID id, String status, Instant purgeAt) {
		jdbc.sql("""
				update mailroom.mailboxes set status = :status,
				  archived_at = case when :status = 'archived' then now() else null end,
				  trashed_at = case when :status = 'trashed' then now() else null end,
				  purge_at = :purge
				where id = :id
				""")
			.param("status", status)
			.param("purge", purgeAt == null ? null : Timestamp.from(purgeAt))
			.param("id", id)
			.update();
	}

	/** Trashed mailboxes whose retention ran out, across organizations (operator mode, no lock). */
	List<MailboxView> expired(int limit) {
		return jdbc.sql("select * from mailroom.mailboxes where status = 'trashed' and purge_at <= now() order by purge_at limit :limit")
			.param("limit", limit)
			.query(Mailboxes::map)
			.list();
	}

	/**
	 * Locks one expired mailbox of the current organization for purging; empty when another
	 * run holds it or it was restored meanwhile.
	 */
	Optional<MailboxView> lockExpired(UUID id) {
		return jdbc.sql("""
				select * from mailroom.mailboxes where id = :id and status = 'trashed' and purge_at <= now()
				for update skip locked
				""").param("id", id).query(Mailboxes::map).optional();
	}

	void delete(UUID id) {
		jdbc.sql("delete from mailroom.mailboxes where id = :id").param("id", id).update();
	}

	/** The mailboxes whose login is {@code userId} (visible through the user policy). */
	List<MailboxView> ownedByLogin(UUID userId) {
		return jdbc.sql("select * from mailroom.mailboxes where login_user_id = :user and status = 'active' order by address")
			.param("user", userId)
			.query(Mailboxes::map)
			.list();
	}

	/** The active and archived mailboxes {@code userId} created in the organization, by address. */
	List<MailboxView> createdBy(UUID orgId, UUID userId) {
		return jdbc.sql("""
				select * from mailroom.mailboxes
				where org_id = :org and owner_user_id = :user and status <> 'trashed' and removal_id is null
				order by address
				""").param("org", orgId).param("user", userId).query(Mailboxes::map).list();
	}

	/** Every active and archived mailbox with a creator, for storage use per member. */
	List<MailboxView> heldByCreators(UUID orgId) {
		return jdbc.sql("""
				select * from mailroom.mailboxes
				where org_id = :org and owner_user_id is not null and status <> 'trashed' and removal_id is null
				""").param("org", orgId).query(Mailboxes::map).list();
	}

	/** Marks a mailbox just trashed as taken by a member's removal: gone for the organization. */
	void markRemoved(UUID id, UUID removalId, String statusBefore, Instant purgeAt) {
		jdbc.sql("""
				update mailroom.mailboxes set removal_id = :removal, status_before_removal = :before, purge_at = :purge
				where id = :id and status = 'trashed'
				""")
			.param("removal", removalId)
			.param("before", statusBefore)
			.param("purge", Timestamp.from(purgeAt))
			.param("id", id)
			.update();
	}

	/** A removal's mailboxes still waiting (not purged), locked, each with the status it had. */
	record Removed(UUID id, String statusBefore) {
	}

	List<Removed> lockRemoved(UUID removalId) {
		return jdbc.sql("""
				select id, status_before_removal from mailroom.mailboxes where removal_id = :removal
				order by address for update
				""").param("removal", removalId).query((rs, n) -> new Removed(rs.getObject(1, UUID.class), rs.getString(2))).list();
	}

	/** Back in the organization's view, still in the recycle bin until restored. */
	void clearRemoval(UUID id) {
		jdbc.sql("update mailroom.mailboxes set removal_id = null, status_before_removal = null where id = :id")
			.param("id", id)
			.update();
	}

	static MailboxView map(ResultSet rs, int row) throws SQLException {
		Timestamp purge = rs.getTimestamp("purge_at");
		return new MailboxView(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
				rs.getObject("domain_id", UUID.class), rs.getString("address"), rs.getString("local_part"),
				rs.getString("kind"), rs.getString("status"), rs.getString("display_name"),
				(Integer) rs.getObject("storage_allocation_mb"), rs.getObject("login_user_id", UUID.class),
				rs.getObject("owner_user_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
				purge == null ? null : purge.toInstant(), List.of(), null);
	}
}
