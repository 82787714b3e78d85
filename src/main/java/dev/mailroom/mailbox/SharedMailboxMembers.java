package dev.mailroom.mailbox;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Who belongs to shared mailboxes, as the module that keeps memberships tells it. Called inside
 * the caller's transaction, tenant entered.
 */
public interface SharedMailboxMembers {

	/** For each shared mailbox id, how many members have an active mailbox of their own. */
	Map<UUID, Long> activeMemberCounts(UUID orgId, Collection<UUID> sharedMailboxIds);

	/** The shared mailboxes this mailbox is a member of (its person's sessions there end with it). */
	java.util.List<UUID> sharedMailboxesOf(UUID orgId, UUID memberMailboxId);
}
