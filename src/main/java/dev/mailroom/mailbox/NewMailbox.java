package dev.mailroom.mailbox;

import java.util.UUID;

/**
 * What to create: {@code password} {@code null} means generate one; {@code storageAllocationMb}
 * {@code null} means draw from the pool.
 */
public record NewMailbox(UUID domainId, String localPart, String password, Integer storageAllocationMb,
		String displayName) {
}
