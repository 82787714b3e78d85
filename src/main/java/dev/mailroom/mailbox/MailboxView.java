package dev.mailroom.mailbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A mailbox's metadata (never its content). {@code storageAllocationMb} is {@code null} when it
 * draws from the organization's pool; {@code purgeAt} is set only in the recycle bin.
 */
public record MailboxView(UUID id, UUID organizationId, UUID domainId, String address, String localPart, String kind,
		String status, String displayName, Integer storageAllocationMb, UUID loginUserId, UUID ownerUserId,
		Instant createdAt, Instant purgeAt, List<String> flags) {

	public boolean regular() {
		return "regular".equals(kind);
	}
}
