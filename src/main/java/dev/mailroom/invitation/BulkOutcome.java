package dev.mailroom.invitation;

import java.util.UUID;

/** One id of a bulk action: its new status, or the code of why it was refused. */
public record BulkOutcome(UUID id, String status, String errorCode) {
}
