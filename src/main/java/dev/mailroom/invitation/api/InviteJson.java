package dev.mailroom.invitation.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.notification.DeliveryView;

/** An invite as API.md shows it (REST and MCP); {@code link} only where the contract returns it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InviteJson(UUID id, String kind, String status, UUID domainId,
		@JsonInclude(JsonInclude.Include.ALWAYS) String recipientEmail,
		@JsonInclude(JsonInclude.Include.ALWAYS) String localPart,
		@JsonInclude(JsonInclude.Include.ALWAYS) Integer storageAllocationMb,
		@JsonInclude(JsonInclude.Include.ALWAYS) UUID batchId, String language, Instant expiresAt, Instant createdAt,
		@JsonInclude(JsonInclude.Include.ALWAYS) Instant lastSentAt, int sendCount,
		@JsonInclude(JsonInclude.Include.ALWAYS) UUID mailboxId, String link, Delivery delivery, String permission,
		Instant accessUntil) {

	/** The latest email about the invite. */
	public record Delivery(String status, int attempts, String lastError, Instant sentAt) {
	}

	public static InviteJson of(InviteView i, String link) {
		DeliveryView d = i.delivery();
		return new InviteJson(i.id(), i.kind(), i.status(), i.domainId(), i.recipientEmail(), i.localPart(),
				i.storageAllocationMb(), i.batchId(), i.language(), i.expiresAt(), i.createdAt(), i.lastSentAt(),
				i.sendCount(), i.mailboxId(), link,
				d == null ? null : new Delivery(d.status(), d.attempts(), d.lastError(), d.sentAt()), i.permission(),
				i.accessUntil());
	}
}
