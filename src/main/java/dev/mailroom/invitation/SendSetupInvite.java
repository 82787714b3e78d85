package dev.mailroom.invitation;

import java.util.UUID;

/**
 * A mailbox setup invite to send. {@code localPart} {@code null} lets the recipient choose;
 * {@code expiresInHours} {@code null} means 720 (30 days); {@code language} {@code null} means en.
 */
public record SendSetupInvite(UUID domainId, String recipientEmail, String localPart, Integer storageAllocationMb,
		Integer expiresInHours, String language) {
}
