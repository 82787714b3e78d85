package dev.mailroom.team;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.domains.DomainService;
import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.identity.ApiQuota;
import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.UserView;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.invitation.TeamEnrolment;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.organization.Limits;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.organization.OrganizationMember;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.EmailAddress;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.sharing.SharingService;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams: the only entry for changes to who belongs to a team. Seats are the plan's {@code seats};
 * everyone in the organization holds one (the owner too) and so does every pending team invite.
 * Every seat check runs under the organization's row lock, so racing invites or acceptances
 * cannot overfill the team. The owner manages the team; members only read its usage.
 */
@Service
public class TeamService implements TeamEnrolment {

	/** How long the operator may bring back the mailboxes a removal took. */
	public static final Duration RESTORE_WINDOW = Duration.ofHours(24);

	private final OrganizationService organizations;
	private final IdentityService identity;
	private final ApiKeyService keys;
	private final ApiQuota quota;
	private final MailboxService mailboxes;
	private final InvitationService invitations;
	private final DomainService domains;
	private final Removals removals;
	private final AuditLog audit;
	private final SharingService sharing;

	TeamService(OrganizationService organizations, IdentityService identity, ApiKeyService keys, ApiQuota quota,
			MailboxService mailboxes, InvitationService invitations, DomainService domains, Removals removals,
			AuditLog audit, SharingService sharing) {
		this.sharing = sharing;
		this.organizations = organizations;
		this.identity = identity;
		this.keys = keys;
		this.quota = quota;
		this.mailboxes = mailboxes;
		this.invitations = invitations;
		this.domains = domains;
		this.removals = removals;
		this.audit = audit;
	}

	/** The actor's organization as a team: plan, seats and owner. Anyone in it may read it. */
	@Transactional(readOnly = true)
	public TeamView team(Actor actor) {
		actor.requireScope("team:read");
		requireOrganization(actor);
		return view(actor.orgId());
	}

	/** Whether the actor's organization is a team (its plan has more than one seat), for navigation. */
	@Transactional(readOnly = true)
	public boolean isTeam(Actor actor) {
		return actor.orgId() != null && organizations.limits(actor.orgId()).seats() > 1;
	}

	/** Everyone in the team with their role, mailbox count and last activity. Owner only. */
	@Transactional(readOnly = true)
	public List<TeamMemberView> members(Actor actor) {
		actor.requireScope("team:read");
		requireOwner(actor);
		List<OrganizationMember> members = organizations.members(actor.orgId());
		List<UUID> ids = members.stream().map(OrganizationMember::userId).toList();
		Map<UUID, UserView> people = identity.users(ids);
		Map<UUID, Instant> signIns = identity.lastSignIns(ids);
		Map<UUID, Instant> keyUse = keys.lastUsedByUser(actor.orgId());
		Map<UUID, MailboxService.CreatorUsage> usage = mailboxes.usageByCreator(actor.orgId(), false);
		return members.stream().map(m -> {
			UserView person = people.get(m.userId());
			MailboxService.CreatorUsage own = usage.get(m.userId());
			return new TeamMemberView(m.userId(), person == null ? null : person.email(),
					person == null ? null : person.name(), m.role(), m.joinedAt(), own == null ? 0 : own.active(),
					latest(signIns.get(m.userId()), keyUse.get(m.userId())));
		}).toList();
	}

	// ---- invitations -----------------------------------------------------------------------

	/**
	 * Invites {@code email} to the team: an email with the team's name, the owner, the link and
	 * its expiry (7 days). The invite holds a seat at once. Owner only. 422 {@code invalid_email};
	 * 409 {@code already_member}, {@code already_invited}, {@code seat_limit_reached}.
	 */
	@Transactional
	public SentInvite invite(Actor actor, String email, String language) {
		actor.requireScope("team:write");
		requireOwner(actor);
		if (email == null || email.isBlank()) {
			throw MailroomException.invalid("email", "required", "Enter the email of the person to invite");
		}
		if (!EmailAddress.isValid(email)) {
			throw MailroomException.invalid("email", "invalid_email", "Enter a valid email address");
		}
		String address = EmailAddress.of(email).value();
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		List<UUID> memberIds = organizations.members(actor.orgId()).stream().map(OrganizationMember::userId).toList();
		if (identity.users(memberIds).values().stream().anyMatch(u -> u.email().equals(address))) {
			throw MailroomException.conflict("already_member", address + " is already a member of the team");
		}
		requireSeat(actor.orgId(), limits, memberIds.size() + invitations.pendingTeamInvites(actor.orgId()));
		return invitations.sendTeamInvite(actor, address, language);
	}

	/** The team's invitations, oldest first, with their status. Owner only. */
	@Transactional(readOnly = true)
	public Page<InviteView> invitations(Actor actor, String status, PageRequest page) {
		actor.requireScope("team:read");
		requireOwner(actor);
		return invitations.teamInvites(actor.orgId(), status, page);
	}

	/**
	 * Sends an invitation again: a fresh link (the old one dies) valid 7 more days. An expired one
	 * needs a free seat again (409 {@code seat_limit_reached}). Owner only.
	 */
	@Transactional
	public SentInvite resendInvitation(Actor actor, UUID id) {
		actor.requireScope("team:write");
		requireOwner(actor);
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		InviteView invite = invitations.teamInvite(actor.orgId(), id);
		if (invite.status().equals("expired")) {
			requireSeat(actor.orgId(), limits, seatsUsed(actor.orgId()));
		}
		return invitations.renewTeamInvite(actor, id);
	}

	/** Cancels an invitation: its link stops working and its seat is free. Owner only. */
	@Transactional
	public InviteView cancelInvitation(Actor actor, UUID id) {
		actor.requireScope("team:write");
		requireOwner(actor);
		organizations.lockForLimitCheck(actor.orgId());
		return invitations.cancelTeamInvite(actor, id);
	}

	// ---- joining (for the invitation lifecycle) ---------------------------------------------

	@Override
	@Transactional(readOnly = true)
	public void requireMayJoin(UUID orgId, UUID userId) {
		List<MembershipView> memberships = identity.memberships(userId);
		if (memberships.stream().anyMatch(m -> m.orgId().equals(orgId))) {
			throw MailroomException.conflict("already_member", "You are already a member of this team");
		}
		if (memberships.stream().noneMatch(MembershipView::personal)) {
			throw MailroomException.invalid("user", "not_a_personal_account",
					"This is a mailbox's own sign-in; accept the invitation with your personal account");
		}
		for (MembershipView other : memberships) {
			if (organizations.isPaid(other.plan())) {
				throw new MailroomException(HttpStatus.CONFLICT, "paid_plan_conflict", "You are on the "
						+ capitalize(other.plan()) + " plan (" + other.organizationName()
						+ "): a person can be on one paid plan at a time. Cancel that plan first — ask your hosting "
						+ "provider to move it to the free plan, or leave that team — then accept this invitation.",
						List.of(), Map.of("organization_id", other.orgId().toString(), "plan", other.plan()));
			}
		}
		Limits limits = organizations.limits(orgId);
		long members = organizations.members(orgId).size();
		if (members + 1 > limits.seats()) {
			throw seatLimit(limits);
		}
	}

	/**
	 * Makes {@code joiner} a member of the team, within its seats: the invite being accepted
	 * already held one, so only the members are counted against the plan here (an operator may
	 * have lowered the seats since). The caller holds the organization's lock.
	 */
	@Override
	@Transactional(propagation = Propagation.MANDATORY)
	public void join(Actor joiner, UUID orgId) {
		requireMayJoin(orgId, joiner.userId());
		if (!organizations.addMember(orgId, joiner.userId(), OrgRole.MEMBER)) {
			throw MailroomException.conflict("already_member", "You are already a member of this team");
		}
		audit.record(joiner, orgId, "team.member_joined", "user:" + joiner.userId(), Map.of("email", joiner.email()));
	}

	// ---- removal -----------------------------------------------------------------------------

	/**
	 * What removing the member would delete: their active and archived mailboxes in the team (for
	 * the confirmation). Owner only; 404 for someone not in the team, 409
	 * {@code cannot_remove_owner} for the owner.
	 */
	@Transactional(readOnly = true)
	public MemberRemoval removalPreview(Actor actor, UUID userId) {
		actor.requireScope("team:read");
		requireOwner(actor);
		UserView person = removable(actor, userId);
		return new MemberRemoval(userId, person.email(), person.name(), mailboxes.createdBy(actor, userId), 0, 0);
	}

	/**
	 * Removes a member, only with {@code confirm} (422 {@code confirmation_required}, naming what
	 * would be deleted): their mailboxes in the team are deleted and gone for the organization
	 * (the operator may restore them for 24 hours), the invites they sent are canceled, their API
	 * keys here are revoked and their web sessions end at once; they keep their account and their
	 * personal (free) organization.
	 */
	@Transactional
	public MemberRemoval removeMember(Actor actor, UUID userId, boolean confirm) {
		actor.requireScope("team:write");
		requireOwner(actor);
		if (!confirm) {
			UserView person = removable(actor, userId);
			MemberRemoval preview = new MemberRemoval(userId, person.email(), person.name(),
					mailboxes.createdBy(actor, userId), 0, 0);
			throw MailroomException.invalid("confirm", "confirmation_required", "Removing " + preview.email()
					+ " deletes their " + preview.mailboxList() + ". Repeat with confirm=true to remove them.");
		}
		organizations.lockForLimitCheck(actor.orgId());
		UserView person = removable(actor, userId);
		UUID removalId = UUID.randomUUID();
		Instant removedAt = removals.insert(removalId, actor.orgId(), userId, person.email(), actor.label());
		List<MailboxView> taken = mailboxes.trashWithMember(actor, userId, removalId, removedAt.plus(RESTORE_WINDOW));
		removals.mailboxCount(removalId, taken.size());
		int invitesCanceled = invitations.cancelAllSentBy(actor, userId);
		int grantsRevoked = sharing.revokeAllOf(actor, userId);
		int revoked = keys.revokeAllOf(actor, actor.orgId(), userId);
		organizations.removeMember(actor.orgId(), userId);
		int sessions = identity.endWebSessions(userId);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("email", person.email());
		details.put("mailboxes", taken.stream().map(MailboxView::address).toList());
		details.put("invites_canceled", invitesCanceled);
		details.put("grants_revoked", grantsRevoked);
		details.put("api_keys_revoked", revoked);
		details.put("sessions_ended", sessions);
		audit.record(actor, actor.orgId(), "team.member_removed", "user:" + userId, details);
		return new MemberRemoval(userId, person.email(), person.name(), taken, revoked, sessions);
	}

	/**
	 * Operator: brings back, as they were, the mailboxes taken by the latest removal of
	 * {@code userId} from the organization, within 24 hours of it (410
	 * {@code restore_window_expired} later; 409 {@code already_restored}; 404 when there was no
	 * such removal). The owner cannot do this.
	 */
	@Transactional
	public List<MailboxView> restoreMemberMailboxes(Actor operator, UUID orgId, UUID userId) {
		if (!operator.isOperator()) {
			throw MailroomException.forbidden("Only the operator restores a removed member's mailboxes");
		}
		if (userId == null) {
			throw MailroomException.invalid("user_id", "required", "Name the removed member (user_id)");
		}
		organizations.find(orgId).orElseThrow(() -> MailroomException.notFound("Organization"));
		organizations.lockForLimitCheck(orgId);
		Removals.Row removal = removals.lockLatest(orgId, userId, RESTORE_WINDOW)
			.orElseThrow(() -> MailroomException.notFound("Removal of this member"));
		if (removal.restoredAt() != null) {
			throw MailroomException.conflict("already_restored", "These mailboxes were restored already");
		}
		if (!removal.restorable()) {
			throw new MailroomException(HttpStatus.GONE, "restore_window_expired",
					"The mailboxes of a removed member can be restored for 24 hours after the removal; that time is over");
		}
		Actor inOrganization = operator.inOrganization(orgId, OrgRole.OWNER);
		List<MailboxView> restored = mailboxes.restoreRemoved(inOrganization, removal.id());
		removals.restored(removal.id());
		audit.record(operator, orgId, "team.member_mailboxes_restored", "user:" + userId,
				Map.of("mailboxes", restored.stream().map(MailboxView::address).toList()));
		return restored;
	}

	// ---- usage -------------------------------------------------------------------------------

	/**
	 * The team's shared quotas and their use, and usage per member: the owner sees every member,
	 * a member only themselves (read-only, like the totals).
	 */
	@Transactional(readOnly = true)
	public TeamUsage usage(Actor actor) {
		actor.requireScope("team:read");
		requireOrganization(actor);
		UUID orgId = actor.orgId();
		Limits limits = organizations.limits(orgId);
		MailboxService.Usage mailboxUsage = mailboxes.usage(orgId);
		long seats = seatsUsed(orgId);
		Map<String, Object> limit = new LinkedHashMap<>();
		Map<String, Object> used = new LinkedHashMap<>();
		put(limit, used, "api_calls_per_day", limits.apiCallsPerDay(), quota.usedToday(orgId));
		put(limit, used, "active_mailboxes", limits.activeMailboxes(), mailboxUsage.active());
		put(limit, used, "archived_mailboxes", limits.archivedMailboxes(), mailboxUsage.archived());
		put(limit, used, "domains", limits.domains(), domains.count(orgId));
		put(limit, used, "storage_pool_mb", limits.storagePoolMb(), mailboxUsage.allocatedStorageMb());
		put(limit, used, "seats", limits.seats(), seats);

		List<OrganizationMember> people = organizations.members(orgId);
		if (actor.role() != OrgRole.OWNER) {
			people = people.stream().filter(m -> m.userId().equals(actor.userId())).toList();
		}
		Map<UUID, UserView> users = identity.users(people.stream().map(OrganizationMember::userId).toList());
		Map<UUID, MailboxService.CreatorUsage> byCreator = mailboxes.usageByCreator(orgId, true);
		Map<UUID, Integer> calls = quota.usedTodayByUser(orgId);
		List<TeamUsage.Member> members = new ArrayList<>();
		for (OrganizationMember member : people) {
			UserView user = users.get(member.userId());
			MailboxService.CreatorUsage own = byCreator.get(member.userId());
			members.add(new TeamUsage.Member(member.userId(), user == null ? null : user.email(),
					user == null ? null : user.name(), own == null ? 0 : own.active() + own.archived(),
					calls.getOrDefault(member.userId(), 0), own == null ? 0 : own.storageMb(),
					own == null ? (mailboxes.mailPlaneConnected() ? Double.valueOf(0) : null) : own.storageUsedMb()));
		}
		return new TeamUsage(limit, used, members);
	}

	// ---- internals ---------------------------------------------------------------------------

	private TeamView view(UUID orgId) {
		OrganizationView organization = organizations.find(orgId)
			.orElseThrow(() -> MailroomException.notFound("Organization"));
		List<OrganizationMember> members = organizations.members(orgId);
		UUID owner = members.stream().filter(m -> m.role() == OrgRole.OWNER).map(OrganizationMember::userId).findFirst()
			.orElse(null);
		return new TeamView(orgId, organization.name(), organization.plan(), organization.limits().seats(), members.size(),
				invitations.pendingTeamInvites(orgId), owner);
	}

	private long seatsUsed(UUID orgId) {
		return organizations.members(orgId).size() + invitations.pendingTeamInvites(orgId);
	}

	private static void requireSeat(UUID orgId, Limits limits, long used) {
		if (used + 1 > limits.seats()) {
			throw seatLimit(limits);
		}
	}

	private static MailroomException seatLimit(Limits limits) {
		return new MailroomException(HttpStatus.CONFLICT, "seat_limit_reached", "The plan has " + limits.seats()
				+ " seat(s) and all are taken (members and pending invitations); remove someone, cancel an "
				+ "invitation or upgrade the plan", List.of(), Map.of("seats", limits.seats()));
	}

	/** A member who may be removed: in the team, not its owner. */
	private UserView removable(Actor actor, UUID userId) {
		OrganizationMember member = organizations.members(actor.orgId())
			.stream()
			.filter(m -> m.userId().equals(userId))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Member"));
		if (member.role() == OrgRole.OWNER) {
			throw MailroomException.conflict("cannot_remove_owner", "The owner of the team cannot be removed");
		}
		return identity.user(userId).orElseThrow(() -> MailroomException.notFound("Member"));
	}

	private static void requireOwner(Actor actor) {
		requireOrganization(actor);
		if (actor.role() != OrgRole.OWNER) {
			throw MailroomException.forbidden("Only the owner of the team manages its members");
		}
	}

	private static void requireOrganization(Actor actor) {
		if (actor.orgId() == null) {
			throw MailroomException.forbidden("Choose an organization first");
		}
	}

	private static void put(Map<String, Object> limits, Map<String, Object> used, String name, Object limit,
			Object value) {
		limits.put(name, limit);
		used.put(name, value);
	}

	private static Instant latest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return b == null || a.isAfter(b) ? a : b;
	}

	private static String capitalize(String plan) {
		return plan.isEmpty() ? plan : Character.toUpperCase(plan.charAt(0)) + plan.substring(1);
	}
}
