package dev.mailroom.organization;

import java.util.UUID;

import dev.mailroom.platform.OrgRole;

/** A user's role in one organization. */
public record MembershipView(UUID orgId, String organizationName, String plan, boolean personal, OrgRole role) {
}
