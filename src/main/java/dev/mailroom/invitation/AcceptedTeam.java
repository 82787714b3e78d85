package dev.mailroom.invitation;

import java.util.UUID;

/**
 * A redeemed team link: the organization the person joined, and who they are. When the account
 * was asked for without the emailed proof, nobody joined: {@code verificationSent}, no user yet,
 * and the link stays pending until the verified person signs in and accepts.
 */
public record AcceptedTeam(UUID organizationId, UUID userId, boolean verificationSent) {

	public AcceptedTeam(UUID organizationId, UUID userId) {
		this(organizationId, userId, false);
	}

	static AcceptedTeam verificationSent(UUID organizationId) {
		return new AcceptedTeam(organizationId, null, true);
	}
}
