package dev.mailroom.sharing;

import java.time.Instant;
import java.util.UUID;

/** A person who may open a mailbox through an address-access grant. */
public record GrantView(UUID mailboxId, UUID userId, String email, String name, String permission, Instant grantedAt,
		Instant accessUntil) {

	public boolean current(Instant now) {
		return accessUntil == null || accessUntil.isAfter(now);
	}
}
