package dev.mailroom.domains;

import java.util.UUID;

/**
 * Implemented by modules that keep things on a domain (mailboxes, invites): a domain that any
 * of them reports in use cannot be deleted; what is left (dead records) is released with it.
 */
public interface DomainInUse {

	/** Why the domain cannot be deleted, or {@code null} when this module holds nothing on it. */
	String reasonInUse(UUID orgId, UUID domainId);

	/**
	 * Deletes what this module keeps that only refers to the domain (nothing in use), in the
	 * transaction that deletes it; called once no module reported it in use.
	 */
	default void release(UUID orgId, UUID domainId) {
	}
}
