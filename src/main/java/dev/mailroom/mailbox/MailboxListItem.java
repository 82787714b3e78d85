package dev.mailroom.mailbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the mailbox list with pending setups: either a {@code mailbox} or a {@code pending}
 * one (the other is {@code null}). Rows are ordered by {@code (createdAt, id)}.
 */
public record MailboxListItem(MailboxView mailbox, PendingMailbox pending) {

	public boolean isPending() {
		return pending != null;
	}

	public Instant createdAt() {
		return pending != null ? pending.createdAt() : mailbox.createdAt();
	}

	public UUID id() {
		return pending != null ? pending.inviteId() : mailbox.id();
	}
}
