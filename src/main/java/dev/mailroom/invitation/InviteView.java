package dev.mailroom.invitation;

import java.time.Instant;
import java.util.UUID;

import dev.mailroom.notification.DeliveryView;

/**
 * An invite as its managers see it. {@code status} is {@code expired} as soon as the expiry
 * passes, before the job records it. {@code delivery} is the latest email about it, if any.
 */
public record InviteView(UUID id, UUID organizationId, String kind, String status, UUID domainId, String recipientEmail,
		String localPart, Integer storageAllocationMb, UUID batchId, String language, UUID invitedByUserId,
		String invitedByName, int linkVersion, Instant expiresAt, Instant createdAt, Instant lastSentAt, int sendCount,
		UUID mailboxId, DeliveryView delivery, UUID targetMailboxId, String permission, Instant accessUntil) {

	public boolean pending() {
		return "pending".equals(status);
	}

	InviteView withDelivery(DeliveryView latest) {
		return new InviteView(id, organizationId, kind, status, domainId, recipientEmail, localPart, storageAllocationMb,
				batchId, language, invitedByUserId, invitedByName, linkVersion, expiresAt, createdAt, lastSentAt, sendCount,
				mailboxId, latest, targetMailboxId, permission, accessUntil);
	}
}
