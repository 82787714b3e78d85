package dev.mailroom.identity;

import java.util.UUID;

/**
 * Published, inside the transaction of the change, when a person's password changes (their own
 * change, an admin reset, a recovery-code reset). Their web sessions are already gone (but the
 * one that made their own change); the modules that know where the person reads mail end those
 * IMAP sessions too, since an open session outlives the old password. {@code reason} is a short
 * tag for logs ({@code password_changed}, {@code password_reset}, {@code recovery_reset}).
 */
public record LoginPasswordChanged(UUID userId, String reason) {
}
