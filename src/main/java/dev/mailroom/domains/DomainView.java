package dev.mailroom.domains;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain. {@code verificationName}/{@code verificationValue} are the TXT record that proves
 * control ({@code _mailroom-verification.<domain>} = {@code mailroom-verification=<token>}).
 * {@code expiresAt} is when a pending claim expires (null once active): an expired claim can no
 * longer be verified and is deleted by a job.
 */
public record DomainView(UUID id, UUID organizationId, String name, String status, String verificationName,
		String verificationValue, Instant createdAt, Instant verifiedAt, Instant expiresAt) {

	public boolean active() {
		return "active".equals(status);
	}

	/** Whether this is a pending claim past its expiry. */
	public boolean claimExpired() {
		return !active() && expiresAt != null && !Instant.now().isBefore(expiresAt);
	}
}
