package dev.mailroom.mailbox;

import java.util.UUID;

/**
 * Capacity held by things that will become mailboxes (pending invites). Implemented by the
 * modules that hold it; the limit checks add it to the mailboxes that exist. Called under the
 * organization's lock, in the caller's transaction.
 */
public interface MailboxReservations {

	/** Pending mailboxes on one domain. */
	long onDomain(UUID orgId, UUID domainId);

	/** Pending mailboxes in the whole organization (they would be active once redeemed). */
	long inOrganization(UUID orgId);

	/** Dedicated storage (MB) reserved by them against the pool. */
	long storageMb(UUID orgId);
}
