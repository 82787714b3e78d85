package dev.mailroom.mailbox;

import java.util.UUID;

/**
 * Published when the people who could open a mailbox change for the worse: archived, deleted,
 * converted to shared, password reset, a member removed or made read-only, a grant revoked.
 * The mail plane ends the open IMAP sessions on that address once the change is committed, since
 * a revoked login only stops the next login by itself.
 */
public record MailboxAccessEnded(UUID organizationId, String address, String reason) {
}
