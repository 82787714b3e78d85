package dev.mailroom.invitation;

import java.util.List;
import java.util.UUID;

/** A batch sent: its id and its invites with their links. */
public record BulkSent(UUID batchId, List<SentInvite> invites) {
}
