package dev.mailroom.invitation;

import java.util.UUID;

/** A redeemed setup invite: the new mailbox, its recovery code (shown once) and its login. */
public record AcceptedSetup(UUID mailboxId, String address, String recoveryCode, UUID loginUserId) {
}
