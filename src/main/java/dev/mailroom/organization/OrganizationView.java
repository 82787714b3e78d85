package dev.mailroom.organization;

import java.time.Instant;
import java.util.UUID;

/** An organization as clients see it, with its effective limits. */
public record OrganizationView(UUID id, String name, String plan, boolean personal, Limits limits, Instant createdAt) {
}
