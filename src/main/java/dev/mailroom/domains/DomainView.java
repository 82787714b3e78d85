package dev.mailroom.domains;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain. {@code verificationName}/{@code verificationValue} are the TXT record that proves
 * control ({@code _mailroom-verification.<domain>} = {@code mailroom-verification=<token>}).
 */
public record DomainView(UUID id, UUID organizationId, String name, String status, String verificationName,
		String verificationValue, Instant createdAt, Instant verifiedAt) {

	public boolean active() {
		return "active".equals(status);
	}
}
