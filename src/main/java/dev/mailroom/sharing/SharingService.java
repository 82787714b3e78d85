package dev.mailroom.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.identity.IdentityService;
import dev.mailroom.mailbox.CreatedMailbox;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.notification.Outbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Tenancy;
import dev.mailroom.mailbox.MailboxAccessEnded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shared mailboxes and their members: the only entry for membership changes. Every change locks
 * the shared mailbox's row first, so concurrent changes see each other (two removals of the last
 * two members leave one).
 */
@Service
public class SharingService {

	public static final Set<String> PERMISSIONS = Set.of("reply", "read_only");

	static final String GRANTED_TEMPLATE = "access-granted";
	static final String REVOKED_TEMPLATE = "access-revoked";

	private final SharedMembers members;
	private final Grants grants;
	private final MailboxService mailboxes;
	private final IdentityService identity;
	private final Outbox outbox;
	private final Tenancy tenancy;
	private final AuditLog audit;
	private final ApplicationEventPublisher events;

	SharingService(SharedMembers members, Grants grants, MailboxService mailboxes, IdentityService identity,
			Outbox outbox, Tenancy tenancy, AuditLog audit, ApplicationEventPublisher events) {
		this.events = events;
		this.members = members;
		this.grants = grants;
		this.mailboxes = mailboxes;
		this.identity = identity;
		this.outbox = outbox;
		this.tenancy = tenancy;
		this.audit = audit;
	}

	/** Creates a shared mailbox with at least one member; no password exists for it, ever. */
	@Transactional
	public MailboxView create(Actor actor, UUID domainId, String localPart, String displayName, List<NewMember> team) {
		mailboxes.lockForMembershipChange(actor);
		List<NewMember> checked = requireTeam(actor, team, null);
		MailboxView shared = mailboxes.createShared(actor, domainId, localPart, displayName);
		addAll(actor, shared, checked);
		return mailboxes.current(actor, shared.id());
	}

	/**
	 * Converts a regular mailbox to shared (its password and recovery code die) with its first
	 * members. A shared mailbox cannot be a member of another, so the mailbox leaves the shared
	 * mailboxes it belonged to — unless it is the last member of one (409 {@code last_member}).
	 */
	@Transactional
	public MailboxView convertToShared(Actor actor, UUID id, List<NewMember> team) {
		actor.requireScope("mailboxes:write");
		// the mailbox is locked (after the organization) before its memberships are read: a racing
		// add of it as a member waits, then finds it shared (invalid_member); the path's mailbox is
		// resolved before the members, so another organization's is 404 whatever the body says
		mailboxes.lockForConversion(actor, id);
		List<NewMember> checked = requireTeam(actor, team, id);
		for (SharedMembers.Row membership : members.memberships(List.of(id))) {
			MailboxView other = mailboxes.lockShared(actor, membership.sharedMailboxId());
			if (members.of(other.id()).size() == 1) {
				throw MailroomException.conflict("last_member", "This mailbox is the last member of " + other.address()
						+ ": add someone else there first");
			}
			members.remove(other.id(), id);
			accessEnded(other, "member_removed");
			audit.record(actor, actor.orgId(), "shared.member_removed", "mailbox:" + other.id(),
					Map.of("address", other.address(), "member_mailbox_id", id.toString(), "reason", "converted to shared"));
		}
		MailboxView shared = mailboxes.convertToShared(actor, id);
		addAll(actor, shared, checked);
		return mailboxes.current(actor, id);
	}

	/** Converts a shared mailbox back to regular: members removed, a fresh password and recovery code. */
	@Transactional
	public CreatedMailbox convertToRegular(Actor actor, UUID id, String password) {
		actor.requireScope("mailboxes:write");
		// organization before mailbox rows, as in convertToShared: the opposite order could deadlock
		mailboxes.lockForMembershipChange(actor);
		MailboxView shared = mailboxes.lockShared(actor, id);
		members.removeAll(shared.id());
		accessEnded(shared, "converted_to_regular");
		audit.record(actor, actor.orgId(), "shared.members_removed", "mailbox:" + id, Map.of("address", shared.address()));
		return mailboxes.convertToRegular(actor, id, password);
	}

	@Transactional(readOnly = true)
	public List<MemberView> members(Actor actor, UUID sharedId) {
		actor.requireScope("mailboxes:read");
		MailboxView shared = mailboxes.get(actor, sharedId);
		if (!shared.shared()) {
			throw MailroomException.conflict("not_a_shared_mailbox", "This is not a shared mailbox");
		}
		return views(actor.orgId(), reachable(actor, members.of(sharedId)));
	}

	/** Adds members (all or none); 409 {@code already_member} if one of them is a member already. */
	@Transactional
	public List<MemberView> add(Actor actor, UUID sharedId, List<NewMember> team) {
		actor.requireScope("mailboxes:write");
		mailboxes.lockForMembershipChange(actor);
		MailboxView shared = mailboxes.lockShared(actor, sharedId);
		List<NewMember> checked = requireTeam(actor, team, sharedId);
		addAll(actor, shared, checked);
		Set<UUID> added = new java.util.HashSet<>(checked.stream().map(NewMember::mailboxId).toList());
		return views(actor.orgId(), members.of(sharedId)).stream().filter(m -> added.contains(m.mailboxId())).toList();
	}

	@Transactional
	public MemberView setPermission(Actor actor, UUID sharedId, UUID memberId, String permission) {
		actor.requireScope("mailboxes:write");
		MailboxView shared = mailboxes.lockShared(actor, sharedId);
		String value = permission(permission);
		if (reachable(actor, members.of(sharedId)).stream().noneMatch(r -> r.memberMailboxId().equals(memberId))
				|| members.setPermission(sharedId, memberId, value) == 0) {
			throw MailroomException.notFound("Member");
		}
		// open sessions keep the rights they logged in with: a member made read-only logs in again
		accessEnded(shared, "permission_changed");
		audit.record(actor, actor.orgId(), "shared.member_permission_changed", "mailbox:" + sharedId,
				Map.of("address", shared.address(), "member_mailbox_id", memberId.toString(), "permission", value));
		return views(actor.orgId(), members.of(sharedId)).stream()
			.filter(m -> m.mailboxId().equals(memberId))
			.findFirst()
			.orElseThrow();
	}

	/** Removes a member at once; the last one cannot be removed (409 {@code last_member}). */
	@Transactional
	public void remove(Actor actor, UUID sharedId, UUID memberId) {
		actor.requireScope("mailboxes:write");
		MailboxView shared = mailboxes.lockShared(actor, sharedId);
		List<SharedMembers.Row> current = members.of(sharedId);
		if (reachable(actor, current).stream().noneMatch(r -> r.memberMailboxId().equals(memberId))) {
			throw MailroomException.notFound("Member");
		}
		if (current.size() == 1) {
			throw MailroomException.conflict("last_member",
					"A shared mailbox needs at least one member: add someone first, or delete the mailbox");
		}
		members.remove(sharedId, memberId);
		accessEnded(shared, "member_removed");
		audit.record(actor, actor.orgId(), "shared.member_removed", "mailbox:" + sharedId,
				Map.of("address", shared.address(), "member_mailbox_id", memberId.toString()));
	}

	/** What the acting person may open (see {@link #openableBy}); an API key needs {@code mailboxes:read}. */
	@Transactional(readOnly = true)
	public List<OpenableMailbox> openable(Actor actor) {
		actor.requireScope("mailboxes:read");
		return openableBy(actor.userId());
	}

	/**
	 * What a person may open: the mailboxes whose login they are, and the shared mailboxes those
	 * mailboxes are members of (if active), with the permission.
	 */
	@Transactional(readOnly = true)
	public List<OpenableMailbox> openableBy(UUID userId) {
		List<OpenableMailbox> result = new ArrayList<>(grantedTo(userId));
		for (MailboxView own : mailboxes.ownLogins(userId)) {
			result.add(new OpenableMailbox(own.id(), own.address(), own.kind(), "owner", "reply", null));
			tenancy.enter(own.organizationId());
			List<SharedMembers.Row> memberships = members.memberships(List.of(own.id()));
			Map<UUID, MailboxView> shared = mailboxes.byIds(own.organizationId(),
					memberships.stream().map(SharedMembers.Row::sharedMailboxId).toList());
			for (SharedMembers.Row membership : memberships) {
				MailboxView mailbox = shared.get(membership.sharedMailboxId());
				if (mailbox != null && mailbox.status().equals("active")) {
					result.add(new OpenableMailbox(mailbox.id(), mailbox.address(), "shared", "member",
							membership.permission(), own.address()));
				}
			}
		}
		return result;
	}

	// ---- address grants ---------------------------------------------------------------------

	/**
	 * Gives {@code userId} access to a mailbox of {@code orgId} (an accepted address-access
	 * invite). 422 {@code own_address} for the mailbox's own login; 409 {@code already_member}
	 * when the user can open it already (grant or shared membership). Joins the caller's
	 * transaction; the mailbox address is told by email.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public GrantView grant(Actor actor, UUID orgId, UUID mailboxId, UUID userId, String permission, Instant accessUntil,
			UUID inviteId) {
		tenancy.enter(orgId);
		MailboxView mailbox = mailboxes.byIds(orgId, List.of(mailboxId)).get(mailboxId);
		if (mailbox == null || !mailbox.status().equals("active")) {
			throw MailroomException.conflict("mailbox_not_active", "This address cannot be shared at the moment");
		}
		if (userId.equals(mailbox.loginUserId())) {
			throw MailroomException.invalid("user", "own_address", "This is your own address: you can open it already");
		}
		if (openableBy(userId).stream().anyMatch(m -> m.mailboxId().equals(mailboxId))) {
			throw MailroomException.conflict("already_member", "You can open this address already");
		}
		tenancy.enter(orgId);
		String value = permission(permission);
		if (!grants.add(orgId, mailboxId, userId, value, accessUntil, inviteId)) {
			throw MailroomException.conflict("already_member", "You can open this address already");
		}
		GrantView granted = grantViews(orgId, List.of(grants.find(mailboxId, userId).orElseThrow())).getFirst();
		audit.record(actor, orgId, "grant.created", "mailbox:" + mailboxId,
				Map.of("address", mailbox.address(), "user_id", userId.toString(), "permission", value));
		tellOwner(orgId, mailbox, GRANTED_TEMPLATE, granted);
		return granted;
	}

	@Transactional(readOnly = true)
	public List<GrantView> grants(Actor actor, UUID mailboxId) {
		actor.requireScope("mailboxes:read");
		MailboxView mailbox = mailboxes.get(actor, mailboxId);
		return grantViews(actor.orgId(), grants.of(mailbox.id()));
	}

	/** Changes a grant's permission and/or end date ({@code clearUntil}: no end). */
	@Transactional
	public GrantView updateGrant(Actor actor, UUID mailboxId, UUID userId, String permission, Instant accessUntil,
			boolean clearUntil) {
		actor.requireScope("mailboxes:write");
		MailboxView mailbox = mailboxes.lockForSharing(actor, mailboxId);
		Grants.Row row = grants.find(mailbox.id(), userId).orElseThrow(() -> MailroomException.notFound("Grant"));
		String value = permission == null ? row.permission() : permission(permission);
		Instant until = clearUntil ? null : accessUntil != null ? accessUntil : row.accessUntil();
		if (until != null && until.isBefore(Instant.now())) {
			throw MailroomException.invalid("access_until", "out_of_range", "The end date must be in the future");
		}
		grants.update(mailbox.id(), userId, value, until);
		accessEnded(mailbox, "grant_changed");
		audit.record(actor, actor.orgId(), "grant.updated", "mailbox:" + mailboxId,
				details("address", mailbox.address(), "user_id", userId.toString(), "permission", value, "access_until",
						until == null ? null : until.toString()));
		return grantViews(actor.orgId(), List.of(grants.find(mailbox.id(), userId).orElseThrow())).getFirst();
	}

	/** Revokes a grant at once and returns what it was; the mailbox address is told by email. */
	@Transactional
	public GrantView revoke(Actor actor, UUID mailboxId, UUID userId) {
		actor.requireScope("mailboxes:write");
		MailboxView mailbox = mailboxes.lockForSharing(actor, mailboxId);
		Grants.Row row = grants.find(mailbox.id(), userId).orElseThrow(() -> MailroomException.notFound("Grant"));
		GrantView revoked = grantViews(actor.orgId(), List.of(row)).getFirst();
		grants.remove(mailbox.id(), userId);
		accessEnded(mailbox, "grant_revoked");
		audit.record(actor, actor.orgId(), "grant.revoked", "mailbox:" + mailboxId,
				Map.of("address", mailbox.address(), "user_id", userId.toString()));
		tellOwner(actor.orgId(), mailbox, REVOKED_TEMPLATE, revoked);
		return revoked;
	}

	/**
	 * Ends every grant the actor's organization gave {@code userId} (a team member removed from
	 * it): the addresses disappear from what they may open and their open IMAP sessions there end
	 * after commit. Joins the caller's transaction; returns how many grants ended.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int revokeAllOf(Actor actor, UUID userId) {
		tenancy.enter(actor.orgId());
		List<UUID> ended = grants.removeAllOf(actor.orgId(), userId);
		for (MailboxView mailbox : mailboxes.byIds(actor.orgId(), ended).values()) {
			accessEnded(mailbox, "grant_revoked");
		}
		if (!ended.isEmpty()) {
			audit.record(actor, actor.orgId(), "grant.revoked_with_member", "user:" + userId,
					Map.of("mailbox_ids", ended.stream().map(UUID::toString).toList()));
		}
		return ended.size();
	}

	/** Open IMAP sessions on the mailbox end after commit (the mail plane listens). */
	private void accessEnded(MailboxView mailbox, String reason) {
		events.publishEvent(new MailboxAccessEnded(mailbox.organizationId(), mailbox.address(), reason));
	}

	private List<GrantView> grantViews(UUID orgId, List<Grants.Row> rows) {
		return rows.stream().map(r -> {
			var user = identity.user(r.userId());
			return new GrantView(r.mailboxId(), r.userId(), user.map(u -> u.email()).orElse(null),
					user.map(u -> u.name()).orElse(null), r.permission(), r.grantedAt(), r.accessUntil());
		}).toList();
	}

	private void tellOwner(UUID orgId, MailboxView mailbox, String template, GrantView grant) {
		outbox.queue(orgId, template, "en", mailbox.address(),
				details("address", mailbox.address(), "person", grant.email(), "permission", grant.permission(),
						"access_until", grant.accessUntil() == null ? null : grant.accessUntil().toString()),
				"mailbox:" + mailbox.id());
	}

	private static Map<String, Object> details(Object... pairs) {
		Map<String, Object> map = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				map.put((String) pairs[i], pairs[i + 1]);
			}
		}
		return map;
	}

	/** Addresses shared with the user through grants that have not lapsed, on active mailboxes. */
	private List<OpenableMailbox> grantedTo(UUID userId) {
		tenancy.enterUser(userId);
		Instant now = Instant.now();
		List<OpenableMailbox> result = new ArrayList<>();
		for (Grants.Row row : grants.ofUser(userId)) {
			if (row.accessUntil() != null && !row.accessUntil().isAfter(now)) {
				continue;
			}
			MailboxView mailbox = mailboxes.byIds(row.orgId(), List.of(row.mailboxId())).get(row.mailboxId());
			if (mailbox != null && mailbox.status().equals("active")) {
				result.add(new OpenableMailbox(mailbox.id(), mailbox.address(), mailbox.kind(), "grant", row.permission(), null));
			}
		}
		return result;
	}

	/** For each shared mailbox, how many members have an active mailbox. */
	List<UUID> sharedMailboxesOf(UUID orgId, UUID memberId) {
		tenancy.enter(orgId);
		return members.memberships(List.of(memberId)).stream().map(SharedMembers.Row::sharedMailboxId).toList();
	}

	Map<UUID, Long> activeMemberCounts(UUID orgId, Collection<UUID> sharedIds) {
		tenancy.enter(orgId);
		List<SharedMembers.Row> rows = members.ofAll(sharedIds);
		Map<UUID, MailboxView> own = mailboxes.byIds(orgId, rows.stream().map(SharedMembers.Row::memberMailboxId).toList());
		Map<UUID, Long> counts = new HashMap<>();
		for (SharedMembers.Row row : rows) {
			MailboxView member = own.get(row.memberMailboxId());
			if (member != null && member.status().equals("active")) {
				counts.merge(row.sharedMailboxId(), 1L, Long::sum);
			}
		}
		return counts;
	}

	private void addAll(Actor actor, MailboxView shared, List<NewMember> team) {
		for (NewMember member : team) {
			if (!members.add(actor.orgId(), shared.id(), member.mailboxId(), member.permission())) {
				throw MailroomException.conflict("already_member", "This mailbox is already a member");
			}
			audit.record(actor, actor.orgId(), "shared.member_added", "mailbox:" + shared.id(),
					Map.of("address", shared.address(), "member_mailbox_id", member.mailboxId().toString(), "permission",
							member.permission()));
		}
	}

	/** At least one member, each a regular active mailbox of the organization, not the mailbox itself. */
	private List<NewMember> requireTeam(Actor actor, List<NewMember> team, UUID self) {
		actor.requireScope("mailboxes:write");
		if (team == null || team.isEmpty()) {
			throw MailroomException.invalid("members", "required", "Choose at least one member");
		}
		if (team.size() > 500) {
			throw MailroomException.invalid("members", "too_many_items", "At most 500 members at once");
		}
		Set<UUID> seen = new LinkedHashSet<>();
		List<NewMember> checked = new ArrayList<>();
		for (NewMember member : team) {
			if (member == null || member.mailboxId() == null) {
				throw MailroomException.invalid("members", "required", "Every member needs a mailbox_id");
			}
			if (member.mailboxId().equals(self)) {
				throw MailroomException.invalid("members", "invalid_member", "A mailbox cannot be a member of itself");
			}
			if (!seen.add(member.mailboxId())) {
				continue;
			}
			mailboxes.requireMemberCandidate(actor, member.mailboxId());
			checked.add(new NewMember(member.mailboxId(), permission(member.permission())));
		}
		return checked;
	}

	/**
	 * The member rows a key limited to some domains may see: members on its domains only, so a
	 * shared mailbox on an allowed domain does not reveal (or let it change) mailboxes on others.
	 */
	private List<SharedMembers.Row> reachable(Actor actor, List<SharedMembers.Row> rows) {
		if (!actor.domainLimited()) {
			return rows;
		}
		Map<UUID, MailboxView> own = mailboxes.byIds(actor.orgId(),
				rows.stream().map(SharedMembers.Row::memberMailboxId).toList());
		return rows.stream().filter(r -> own.containsKey(r.memberMailboxId())
				&& actor.mayUseDomain(own.get(r.memberMailboxId()).domainId())).toList();
	}

	private List<MemberView> views(UUID orgId, List<SharedMembers.Row> rows) {
		Map<UUID, MailboxView> own = mailboxes.byIds(orgId, rows.stream().map(SharedMembers.Row::memberMailboxId).toList());
		return rows.stream().map(r -> {
			MailboxView mailbox = own.get(r.memberMailboxId());
			return new MemberView(r.memberMailboxId(), mailbox == null ? null : mailbox.address(), r.permission(),
					r.addedAt(), mailbox == null ? null : mailbox.status());
		}).toList();
	}

	private static String permission(String permission) {
		String value = permission == null ? "reply" : permission;
		if (!PERMISSIONS.contains(value)) {
			throw MailroomException.invalid("permission", "invalid_permission", "permission is reply or read_only");
		}
		return value;
	}
}
