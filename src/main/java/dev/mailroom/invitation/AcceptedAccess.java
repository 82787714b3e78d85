package dev.mailroom.invitation;

import java.util.UUID;

/**
 * A redeemed address-access link: the mailbox the person may now open, and how. When the account
 * was asked for without the emailed proof, nothing was redeemed: {@code verificationSent}, no
 * user yet, and the link stays pending until the verified person signs in and accepts.
 */
public record AcceptedAccess(UUID mailboxId, String permission, UUID userId, boolean verificationSent) {

	public AcceptedAccess(UUID mailboxId, String permission, UUID userId) {
		this(mailboxId, permission, userId, false);
	}

	static AcceptedAccess verificationSent(UUID mailboxId, String permission) {
		return new AcceptedAccess(mailboxId, permission, null, true);
	}
}
