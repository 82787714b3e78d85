package dev.mailroom.team;

import java.util.UUID;

/**
 * An organization as a team: its plan, its seats (members plus pending team invites, against the
 * plan's {@code seats}) and its owner.
 */
public record TeamView(UUID organizationId, String name, String plan, int seatLimit, long members, long pendingInvites,
		UUID ownerUserId) {

	public long seatsUsed() {
		return members + pendingInvites;
	}

	public long seatsFree() {
		return Math.max(0, seatLimit - seatsUsed());
	}
}
