package dev.mailroom.organization;

import java.time.Instant;
import java.util.UUID;

import dev.mailroom.platform.OrgRole;

/** Someone who belongs to an organization: their role and since when. */
public record OrganizationMember(UUID userId, OrgRole role, Instant joinedAt) {
}
