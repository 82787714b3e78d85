package dev.mailroom.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An API key without its secret. {@code domainIds} is {@code null} when the key is not limited. */
public record ApiKeyView(UUID id, UUID organizationId, UUID userId, String name, List<String> scopes,
		List<UUID> domainIds, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
