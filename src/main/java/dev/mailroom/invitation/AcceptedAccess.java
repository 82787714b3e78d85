package dev.mailroom.invitation;

import java.util.UUID;

/** A redeemed address-access link: the mailbox the person may now open, and how. */
public record AcceptedAccess(UUID mailboxId, String permission, UUID userId) {
}
