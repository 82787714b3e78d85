package dev.mailroom.notification;

import java.time.Instant;
import java.util.UUID;

/** Where a message stands: {@code queued}, {@code sending}, {@code sent} or {@code failed} (with why). */
public record DeliveryView(UUID id, String recipient, String template, String status, int attempts, String lastError,
		String transport, Instant createdAt, Instant sentAt) {
}
