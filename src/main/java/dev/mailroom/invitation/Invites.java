package dev.mailroom.invitation;

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
class Invites {

	/** A pending invite past its expiry is reported (and counted) as expired at once. */
	private static final String STATUS = """
			case when status = 'pending' and expires_at <= now() then 'expired' else status end as effective_status
			""";

	record Filter(String status, UUID domainId, UUID batchId, UUID invitedBy) {
	}

	private final JdbcClient jdbc;
	private final org.springframework.jdbc.core.JdbcTemplate batch;

	Invites(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	void insertAccess(UUID id, UUID orgId, UUID mailboxId, String recipient, String permission, Instant accessUntil,
			String language, UUID invitedBy, String invitedByName, int validHours) {
		jdbc.sql("""
				insert into mailroom.invites (id, org_id, kind, status, target_mailbox_id, recipient_email, permission,
				  access_until, language, invited_by_user_id, invited_by_name, valid_hours, expires_at)
				values (:id, :org, 'address_access', 'pending', :mailbox, :recipient, :permission, :until, :language, :by,
				  :byName, :hours, now() + make_interval(hours => :hours))
				""")
			.param("id", id)
			.param("org", orgId)
			.param("mailbox", mailboxId)
			.param("recipient", recipient)
			.param("permission", permission)
			.param("until", accessUntil == null ? null : Timestamp.from(accessUntil))
			.param("language", language)
			.param("by", invitedBy)
			.param("byName", invitedByName)
			.param("hours", validHours)
			.update();
	}

	void insertTeam(UUID id, UUID orgId, String recipient, String language, UUID invitedBy, String invitedByName,
			int validHours) {
		jdbc.sql("""
				insert into mailroom.invites (id, org_id, kind, status, recipient_email, language, invited_by_user_id,
				  invited_by_name, valid_hours, expires_at)
				values (:id, :org, 'team', 'pending', :recipient, :language, :by, :byName, :hours,
				  now() + make_interval(hours => :hours))
				""")
			.param("id", id)
			.param("org", orgId)
			.param("recipient", recipient)
			.param("language", language)
			.param("by", invitedBy)
			.param("byName", invitedByName)
			.param("hours", validHours)
			.update();
	}

	/** Pending, unexpired team invites (each holds a seat). */
	long pendingTeam(UUID orgId) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where org_id = :org and kind = 'team' and status = 'pending' and expires_at > now()
				""").param("org", orgId).query(Long.class).single();
	}

	boolean pendingTeamFor(UUID orgId, String recipient) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where org_id = :org and kind = 'team' and recipient_email = :r and status = 'pending' and expires_at > now()
				""").param("org", orgId).param("r", recipient).query(Long.class).single() > 0;
	}

	/** The organization's team invites, oldest first, optionally of one (effective) status. */
	List<InviteView> teamPage(UUID orgId, String status, Instant afterCreated, UUID afterId, int limit) {
		return jdbc.sql("select *, " + STATUS + """
				 from mailroom.invites
				where org_id = :org and kind = 'team'
				  and (cast(:status as text) is null or
				       (case when status = 'pending' and expires_at <= now() then 'expired' else status end) = :status)
				  and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
				order by created_at, id
				limit :limit
				""")
			.param("org", orgId)
			.param("status", status)
			.param("afterCreated", afterCreated == null ? null : Timestamp.from(afterCreated))
			.param("afterId", afterId)
			.param("limit", limit)
			.query(Invites::map)
			.list();
	}

	List<InviteView> forMailbox(UUID mailboxId) {
		return jdbc.sql("select *, " + STATUS + " from mailroom.invites where target_mailbox_id = :m order by created_at, id")
			.param("m", mailboxId)
			.query(Invites::map)
			.list();
	}

	/** A setup invite of a batch, as sent (its first email is queued with it). */
	record NewSetup(UUID id, String recipient, String localPart, Integer storageMb) {
	}

	/** Inserts a batch's invites in one round trip, marked as sent once. */
	void insertSetupBatch(UUID orgId, UUID domainId, UUID batchId, String language, UUID invitedBy,
			String invitedByName, int validHours, List<NewSetup> rows) {
		batch.batchUpdate("""
				insert into mailroom.invites (id, org_id, kind, status, domain_id, recipient_email, local_part,
				  storage_allocation_mb, batch_id, language, invited_by_user_id, invited_by_name, valid_hours, expires_at,
				  last_sent_at, send_count)
				values (?, ?, 'mailbox_setup', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + make_interval(hours => ?), now(), 1)
				""", rows.stream()
			.map(r -> new Object[] { r.id(), orgId, domainId, r.recipient(), r.localPart(), r.storageMb(), batchId, language,
					invitedBy, invitedByName, validHours, validHours })
			.toList());
	}

	List<InviteView> ofBatch(UUID batchId) {
		return jdbc.sql("select *, " + STATUS + " from mailroom.invites where batch_id = :b").param("b", batchId)
			.query(Invites::map)
			.list();
	}

	void insertSetup(UUID id, UUID orgId, UUID domainId, String recipient, String localPart, Integer storageMb,
			UUID batchId, String language, UUID invitedBy, String invitedByName, int validHours) {
		jdbc.sql("""
				insert into mailroom.invites (id, org_id, kind, status, domain_id, recipient_email, local_part,
				  storage_allocation_mb, batch_id, language, invited_by_user_id, invited_by_name, valid_hours, expires_at)
				values (:id, :org, 'mailbox_setup', 'pending', :domain, :recipient, :local, :storage, :batch, :language,
				  :by, :byName, :hours, now() + make_interval(hours => :hours))
				""")
			.param("id", id)
			.param("org", orgId)
			.param("domain", domainId)
			.param("recipient", recipient)
			.param("local", localPart)
			.param("storage", storageMb)
			.param("batch", batchId)
			.param("language", language)
			.param("by", invitedBy)
			.param("byName", invitedByName)
			.param("hours", validHours)
			.update();
	}

	Optional<InviteView> find(UUID id) {
		return jdbc.sql("select *, " + STATUS + " from mailroom.invites where id = :id").param("id", id)
			.query(Invites::map)
			.optional();
	}

	Optional<InviteView> lock(UUID id) {
		return jdbc.sql("select *, " + STATUS + " from mailroom.invites where id = :id for update").param("id", id)
			.query(Invites::map)
			.optional();
	}

	List<InviteView> page(UUID orgId, Filter filter, Instant afterCreated, UUID afterId, int limit) {
		return jdbc.sql("select *, " + STATUS + """
				 from mailroom.invites
				where org_id = :org and kind = 'mailbox_setup'
				  and (cast(:domain as uuid) is null or domain_id = :domain)
				  and (cast(:batch as uuid) is null or batch_id = :batch)
				  and (cast(:by as uuid) is null or invited_by_user_id = :by)
				  and (cast(:status as text) is null or
				       (case when status = 'pending' and expires_at <= now() then 'expired' else status end) = :status)
				  and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
				order by created_at, id
				limit :limit
				""")
			.param("org", orgId)
			.param("domain", filter.domainId())
			.param("batch", filter.batchId())
			.param("by", filter.invitedBy())
			.param("status", filter.status())
			.param("afterCreated", afterCreated == null ? null : Timestamp.from(afterCreated))
			.param("afterId", afterId)
			.param("limit", limit)
			.query(Invites::map)
			.list();
	}

	/**
	 * Pending, unexpired setup invites for the mailbox list, by {@code (created_at, id)}:
	 * {@code query} (lower-case) in the local part or the recipient's email.
	 */
	List<InviteView> pendingPage(UUID orgId, UUID domainId, String query, UUID invitedBy, List<UUID> domainLimit,
			Instant afterCreated, UUID afterId, int limit) {
		return jdbc.sql("select *, " + STATUS + """
				 from mailroom.invites
				where org_id = :org and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				  and (cast(:domain as uuid) is null or domain_id = :domain)
				  and (cast(:by as uuid) is null or invited_by_user_id = :by)
				  and (cast(:domains as uuid[]) is null or domain_id = any(:domains))
				  and (cast(:q as text) is null or strpos(lower(recipient_email), :q) > 0
				       or strpos(coalesce(local_part, ''), :q) > 0)
				  and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
				order by created_at, id
				limit :limit
				""")
			.param("org", orgId)
			.param("domain", domainId)
			.param("by", invitedBy)
			.param("domains", domainLimit == null ? null : domainLimit.toArray(UUID[]::new))
			.param("q", query)
			.param("afterCreated", afterCreated == null ? null : Timestamp.from(afterCreated))
			.param("afterId", afterId)
			.param("limit", limit)
			.query(Invites::map)
			.list();
	}

	/** Pending, unexpired setup invites on a domain (they hold mailbox slots). */
	long pendingOnDomain(UUID domainId) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where domain_id = :d and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				""").param("d", domainId).query(Long.class).single();
	}

	/**
	 * Deletes the invites on a domain that can never be used again (accepted, canceled, expired,
	 * or pending past their expiry); returns how many.
	 */
	int deleteDeadOnDomain(UUID domainId) {
		return jdbc.sql("""
				delete from mailroom.invites
				where domain_id = :d and not (status = 'pending' and expires_at > now())
				""").param("d", domainId).update();
	}

	long pendingInOrganization(UUID orgId) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where org_id = :org and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				""").param("org", orgId).query(Long.class).single();
	}

	long reservedStorageMb(UUID orgId) {
		return jdbc.sql("""
				select coalesce(sum(storage_allocation_mb), 0) from mailroom.invites
				where org_id = :org and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				""").param("org", orgId).query(Long.class).single();
	}

	/** Whether another pending invite promises this local part on the domain. */
	boolean localPartPromised(UUID domainId, String localPart, UUID except) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where domain_id = :d and local_part = :lp and kind = 'mailbox_setup' and status = 'pending'
				  and expires_at > now() and id <> :except
				""")
			.param("d", domainId)
			.param("lp", localPart)
			.param("except", except == null ? new UUID(0, 0) : except)
			.query(Long.class)
			.single() > 0;
	}

	/** Whether a pending invite already goes to this recipient on this domain. */
	boolean pendingFor(UUID domainId, String recipient) {
		return jdbc.sql("""
				select count(*) from mailroom.invites
				where domain_id = :d and recipient_email = :r and kind = 'mailbox_setup' and status = 'pending'
				  and expires_at > now()
				""").param("d", domainId).param("r", recipient).query(Long.class).single() > 0;
	}

	/** Which of {@code emails} already have a pending invite on the domain. */
	java.util.Set<String> pendingRecipients(UUID domainId, java.util.Collection<String> emails) {
		if (emails.isEmpty()) {
			return java.util.Set.of();
		}
		return new java.util.HashSet<>(jdbc.sql("""
				select recipient_email from mailroom.invites
				where domain_id = :d and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				  and recipient_email = any(:emails)
				""").param("d", domainId).param("emails", emails.toArray(String[]::new)).query(String.class).list());
	}

	/** Which of {@code localParts} are promised to pending invites on the domain. */
	java.util.Set<String> promisedLocalParts(UUID domainId, java.util.Collection<String> localParts) {
		if (localParts.isEmpty()) {
			return java.util.Set.of();
		}
		return new java.util.HashSet<>(jdbc.sql("""
				select local_part from mailroom.invites
				where domain_id = :d and kind = 'mailbox_setup' and status = 'pending' and expires_at > now()
				  and local_part = any(:lps)
				""").param("d", domainId).param("lps", localParts.toArray(String[]::new)).query(String.class).list());
	}

	void sent(UUID id) {
		jdbc.sql("update mailroom.invites set last_sent_at = now(), send_count = send_count + 1 where id = :id")
			.param("id", id)
			.update();
	}

	/** New link (old ones die), a fresh expiry window, pending again. */
	void renew(UUID id, String recipient) {
		jdbc.sql("""
				update mailroom.invites set link_version = link_version + 1, status = 'pending',
				  recipient_email = coalesce(:recipient, recipient_email),
				  expires_at = now() + make_interval(hours => valid_hours)
				where id = :id
				""").param("recipient", recipient).param("id", id).update();
	}

	void cancel(UUID id) {
		jdbc.sql("update mailroom.invites set status = 'canceled', canceled_at = now() where id = :id")
			.param("id", id)
			.update();
	}

	/** Cancels the pending invites {@code userId} sent in the organization; returns their ids. */
	List<UUID> cancelPendingSentBy(UUID orgId, UUID userId) {
		return jdbc.sql("""
				update mailroom.invites set status = 'canceled', canceled_at = now()
				where org_id = :org and invited_by_user_id = :user and status = 'pending'
				returning id
				""").param("org", orgId).param("user", userId).query(UUID.class).list();
	}

	void accept(UUID id, UUID mailboxId) {
		jdbc.sql("update mailroom.invites set status = 'accepted', accepted_at = now(), mailbox_id = :mailbox where id = :id")
			.param("mailbox", mailboxId)
			.param("id", id)
			.update();
	}

	/** Pending invites past expiry, across organizations (operator mode). */
	List<InviteView> overdue(int limit) {
		return jdbc.sql("select *, " + STATUS + " from mailroom.invites where status = 'pending' and expires_at <= now() limit :limit")
			.param("limit", limit)
			.query(Invites::map)
			.list();
	}

	int markExpired(UUID id) {
		return jdbc.sql("update mailroom.invites set status = 'expired' where id = :id and status = 'pending' and expires_at <= now()")
			.param("id", id)
			.update();
	}

	static InviteView map(ResultSet rs, int row) throws SQLException {
		return new InviteView(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("kind"),
				rs.getString("effective_status"), rs.getObject("domain_id", UUID.class), rs.getString("recipient_email"),
				rs.getString("local_part"), (Integer) rs.getObject("storage_allocation_mb"),
				rs.getObject("batch_id", UUID.class), rs.getString("language"),
				rs.getObject("invited_by_user_id", UUID.class), rs.getString("invited_by_name"), rs.getInt("link_version"),
				instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("last_sent_at")), rs.getInt("send_count"), rs.getObject("mailbox_id", UUID.class),
				null, rs.getObject("target_mailbox_id", UUID.class), rs.getString("permission"),
				instant(rs.getTimestamp("access_until")));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}
}
