package dev.mailroom.invitation;

import java.util.UUID;

/** A redeemed team link: the organization the person joined, and who they are. */
public record AcceptedTeam(UUID organizationId, UUID userId) {
}
