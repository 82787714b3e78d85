package dev.mailroom.mailbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A mailbox's metadata (never its content). {@code storageAllocationMb} is {@code null} when it
 * draws from the organization's pool; {@code purgeAt} is set only in the recycle bin;
 * {@code memberCount} (members whose own mailbox is active) only for shared mailboxes.
 */
public record MailboxView(UUID id, UUID organizationId, UUID domainId, String address, String localPart, String kind,
		String status, String displayName, Integer storageAllocationMb, UUID loginUserId, UUID ownerUserId,
		Instant createdAt, Instant purgeAt, List<String> flags, Integer memberCount) {

	public boolean regular() {
		return "regular".equals(kind);
	}

	public boolean shared() {
		return "shared".equals(kind);
	}

	/** With its active member count and, for a shared mailbox without one, the {@code no_members} flag. */
	MailboxView withMembers(long activeMembers) {
		return new MailboxView(id, organizationId, domainId, address, localPart, kind, status, displayName,
				storageAllocationMb, loginUserId, ownerUserId, createdAt, purgeAt,
				activeMembers == 0 ? List.of("no_members") : List.of(), (int) activeMembers);
	}
}
