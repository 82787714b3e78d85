package dev.mailroom.domains;

import java.util.UUID;

/**
 * Implemented by modules that keep things on a domain (mailboxes, invites): a domain that any
 * of them reports in use cannot be deleted.
 */
public interface DomainInUse {

	/** Why the domain cannot be deleted, or {@code null} when this module holds nothing on it. */
	String reasonInUse(UUID orgId, UUID domainId);
}
