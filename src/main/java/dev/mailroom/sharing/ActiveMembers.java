package dev.mailroom.sharing;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.mailbox.SharedMailboxMembers;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** Tells the mailbox module how many active members its shared mailboxes have. */
@Component
class ActiveMembers implements SharedMailboxMembers {

	private final SharingService sharing;

	ActiveMembers(@Lazy SharingService sharing) {
		this.sharing = sharing;
	}

	@Override
	public Map<UUID, Long> activeMemberCounts(UUID orgId, Collection<UUID> sharedMailboxIds) {
		return sharing.activeMemberCounts(orgId, sharedMailboxIds);
	}

	@Override
	public java.util.List<UUID> sharedMailboxesOf(UUID orgId, UUID memberMailboxId) {
		return sharing.sharedMailboxesOf(orgId, memberMailboxId);
	}
}
