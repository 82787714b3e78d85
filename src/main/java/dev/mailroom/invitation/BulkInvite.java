package dev.mailroom.invitation;

import java.util.List;
import java.util.UUID;

/**
 * A batch of setup invites on one domain. {@code source} decides the batch size: 100 per API
 * call; an upload (the wizard) up to the plan's invites per batch.
 */
public record BulkInvite(UUID domainId, Integer expiresInHours, String language, List<Item> items, Source source) {

	public enum Source {
		API, UPLOAD
	}

	/** One recipient; {@code localPart} {@code null} derives it from the recipient's email. */
	public record Item(String recipientEmail, String localPart, Integer storageAllocationMb) {
	}
}
