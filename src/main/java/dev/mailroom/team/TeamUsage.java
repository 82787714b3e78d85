package dev.mailroom.team;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The team's shared quotas: {@code limits} and what is {@code used} of each, under the same
 * names, and usage per member — every member for the owner, only themselves for a member.
 */
public record TeamUsage(Map<String, Object> limits, Map<String, Object> used, List<Member> members) {

	/**
	 * What one person uses: the mailboxes they created (active and archived), their API calls
	 * today (UTC), the dedicated storage of their mailboxes and, with a mail plane connected, the
	 * storage those mailboxes use (null otherwise).
	 */
	public record Member(UUID userId, String email, String name, long mailboxesCreated, long apiCallsToday,
			long storageMb, Double storageUsedMb) {
	}
}
