package dev.mailroom.domains.api;

import java.util.UUID;

import dev.mailroom.domains.DomainView;

/**
 * A domain as API.md shows it (REST and MCP answer this same shape); {@code expires_at} is when a
 * pending claim expires, null once active.
 */
public record DomainJson(UUID id, String name, String status, Verification verification, String createdAt,
		String verifiedAt, String expiresAt) {

	/** The TXT record that proves control of the domain. */
	public record Verification(String type, String name, String value) {
	}

	public static DomainJson of(DomainView d) {
		return new DomainJson(d.id(), d.name(), d.status(),
				new Verification("TXT", d.verificationName(), d.verificationValue()), d.createdAt().toString(),
				d.verifiedAt() == null ? null : d.verifiedAt().toString(),
				d.expiresAt() == null ? null : d.expiresAt().toString());
	}
}
