package dev.mailroom.mailbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A mailbox still to be set up: a pending, unexpired setup invite, as the mailbox list shows it.
 * {@code address} is {@code null} while the recipient picks the local part.
 */
public record PendingMailbox(UUID inviteId, UUID domainId, String address, String recipientEmail, Instant expiresAt,
		Instant createdAt) {
}
