package dev.mailroom.sharing;

import java.time.Instant;
import java.util.UUID;

/** A member of a shared mailbox: their own mailbox, its address and their permission. */
public record MemberView(UUID mailboxId, String address, String permission, Instant addedAt, String mailboxStatus) {
}
