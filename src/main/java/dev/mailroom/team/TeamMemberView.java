package dev.mailroom.team;

import java.time.Instant;
import java.util.UUID;

import dev.mailroom.platform.OrgRole;

/**
 * One person of the team as the owner sees them: {@code mailboxCount} is their active mailboxes;
 * {@code lastActiveAt} their latest sign-in or API call with a key of this team ({@code null} if
 * never).
 */
public record TeamMemberView(UUID userId, String email, String name, OrgRole role, Instant joinedAt,
		long mailboxCount, Instant lastActiveAt) {

	public boolean owner() {
		return role == OrgRole.OWNER;
	}
}
