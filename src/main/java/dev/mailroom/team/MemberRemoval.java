package dev.mailroom.team;

import java.util.List;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxView;

/**
 * A member's removal: who, and the mailboxes it deletes (or deleted). Before the removal it is
 * what the confirmation names; after, {@code apiKeysRevoked} and {@code sessionsEnded} say what
 * else ended.
 */
public record MemberRemoval(UUID userId, String email, String name, List<MailboxView> mailboxes, int apiKeysRevoked,
		int sessionsEnded) {

	/** "a@x, b@x" or "no mailboxes", for messages. */
	public String mailboxList() {
		return mailboxes.isEmpty() ? "no mailboxes"
				: mailboxes.size() + " mailbox(es): " + String.join(", ", mailboxes.stream().map(MailboxView::address).toList());
	}
}
