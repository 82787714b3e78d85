package dev.mailroom.mailbox;

import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.PageRequest;

/**
 * The mailboxes still to be set up (pending setup invites) for the mailbox list. Implemented by
 * the module that holds them; called in the caller's read-only transaction, the organization
 * entered.
 */
public interface PendingMailboxes {

	/**
	 * Those the actor may see (a member: the ones they sent; an API key: on its domains),
	 * optionally on one domain and matching {@code query} (lower-case; in the address or the
	 * recipient's email), ordered by {@code (createdAt, inviteId)} after {@code after} (none:
	 * from the start), at most {@code limit}.
	 */
	List<PendingMailbox> page(Actor actor, UUID domainId, String query, PageRequest.Keyset after, int limit);
}
