package dev.mailroom.mailbox;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Purged mailboxes whose mail data the mail plane has still to wipe (V8): recorded by the purge in
 * its own transaction, taken by the wipe job, deleted once wiped.
 */
@Repository
class MailWipes {

	/** One pending wipe: the purged mailbox's id keys its home in the mail plane. */
	record PendingWipe(UUID mailboxId, UUID organizationId, String address, int attempts) {
	}

	private final JdbcClient jdbc;

	MailWipes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records the wipe of a mailbox being purged in the current organization; once per mailbox. */
	void record(MailboxView mailbox) {
		jdbc.sql("""
				insert into mailroom.mail_wipes (mailbox_id, org_id, address, kind)
				values (:id, :org, :address, :kind)
				on conflict (mailbox_id) do nothing
				""")
			.param("id", mailbox.id())
			.param("org", mailbox.organizationId())
			.param("address", mailbox.address())
			.param("kind", mailbox.kind())
			.update();
	}

	/** Wipes due now across organizations (operator mode), oldest first. */
	List<PendingWipe> due(int limit) {
		return jdbc.sql("""
				select mailbox_id, org_id, address, attempts from mailroom.mail_wipes
				where next_attempt_at <= now() order by next_attempt_at, requested_at limit :limit
				""").param("limit", limit).query(MailWipes::map).list();
	}

	/** Locks a due wipe of the current organization; empty when another run holds it or it went meanwhile. */
	Optional<PendingWipe> lockDue(UUID mailboxId) {
		return jdbc.sql("""
				select mailbox_id, org_id, address, attempts from mailroom.mail_wipes
				where mailbox_id = :id and next_attempt_at <= now()
				for update skip locked
				""").param("id", mailboxId).query(MailWipes::map).optional();
	}

	void done(UUID mailboxId) {
		jdbc.sql("delete from mailroom.mail_wipes where mailbox_id = :id").param("id", mailboxId).update();
	}

	/** Tries again later: a minute after the first failure, doubling up to six hours. */
	void failed(UUID mailboxId, String error) {
		jdbc.sql("""
				update mailroom.mail_wipes
				set attempts = attempts + 1, last_error = left(:error, 500),
				    next_attempt_at = now() + least(interval '6 hours', interval '1 minute' * power(2, least(attempts, 20)))
				where mailbox_id = :id
				""").param("id", mailboxId).param("error", error == null ? "unknown error" : error).update();
	}

	/** Every pending wipe, due or not, across organizations (operator mode). */
	long count() {
		return jdbc.sql("select count(*) from mailroom.mail_wipes").query(Long.class).single();
	}

	private static PendingWipe map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new PendingWipe(rs.getObject("mailbox_id", UUID.class), rs.getObject("org_id", UUID.class),
				rs.getString("address"), rs.getInt("attempts"));
	}
}
