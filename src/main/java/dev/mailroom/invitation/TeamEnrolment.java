package dev.mailroom.invitation;

import java.util.UUID;

import dev.mailroom.platform.Actor;

/**
 * Who may join a team and how, as the team module decides it. The invitation lifecycle (link,
 * expiry, single use) stays here; redeeming a team link asks this for the team's rules. Called in
 * the caller's transaction, which holds the organization's lock.
 */
public interface TeamEnrolment {

	/**
	 * Refuses with a {@code MailroomException} when {@code userId} may not join {@code orgId}:
	 * 409 {@code already_member}, {@code paid_plan_conflict} (they are on another paid plan),
	 * {@code seat_limit_reached}; 422 {@code not_a_personal_account} (a mailbox's own login).
	 */
	void requireMayJoin(UUID orgId, UUID userId);

	/** Checks {@link #requireMayJoin} and makes {@code joiner} a member of {@code orgId}. */
	void join(Actor joiner, UUID orgId);
}
