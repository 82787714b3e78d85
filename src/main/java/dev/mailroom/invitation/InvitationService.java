package dev.mailroom.invitation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.LoginService;
import dev.mailroom.identity.RateLimits;
import dev.mailroom.sharing.GrantView;
import dev.mailroom.sharing.SharingService;
import dev.mailroom.identity.UserView;
import dev.mailroom.mailbox.CreatedMailbox;
import dev.mailroom.mailbox.LocalPart;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.mailbox.PendingMailbox;
import dev.mailroom.notification.DeliveryView;
import dev.mailroom.notification.Outbox;
import dev.mailroom.organization.Limits;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.EmailAddress;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.SignedLinkTokens;
import dev.mailroom.platform.Tenancy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mailbox setup invites: send, manage, and redeem through their one-time link. The only entry
 * for changes to invites. Sending counts toward the mailbox cap at once and reserves the
 * dedicated storage (checked under the organization's lock); the email is queued in the same
 * transaction.
 */
@Service
public class InvitationService {

	public static final int DEFAULT_HOURS = 720;
	public static final Set<String> LANGUAGES = Set.of("en", "fr", "de");
	static final String SETUP_TEMPLATE = "mailbox-setup-invite";
	static final String ACCESS_TEMPLATE = "address-access-invite";
	static final String TEAM_TEMPLATE = "team-invite";
	/** Team invites last 7 days (DESIGN.md §1.8). */
	public static final int TEAM_HOURS = 7 * 24;

	private final Invites invites;
	private final InviteLinks links;
	private final DomainService domains;
	private final MailboxService mailboxes;
	private final OrganizationService organizations;
	private final IdentityService identity;
	private final Outbox outbox;
	private final AuditLog audit;
	private final Tenancy tenancy;
	private final TransactionTemplate transactions;
	private final MailroomSettings settings;
	private final RateLimits rateLimits;
	private final SharingService sharing;
	private final ObjectProvider<TeamEnrolment> teams;
	private final LoginService logins;

	InvitationService(LoginService logins, ObjectProvider<TeamEnrolment> teams, SharingService sharing, RateLimits rateLimits, Invites invites, InviteLinks links, DomainService domains, MailboxService mailboxes,
			OrganizationService organizations, IdentityService identity, Outbox outbox, AuditLog audit, Tenancy tenancy,
			TransactionTemplate transactions, MailroomSettings settings) {
		this.invites = invites;
		this.links = links;
		this.domains = domains;
		this.mailboxes = mailboxes;
		this.organizations = organizations;
		this.identity = identity;
		this.outbox = outbox;
		this.audit = audit;
		this.tenancy = tenancy;
		this.transactions = transactions;
		this.settings = settings;
		this.rateLimits = rateLimits;
		this.sharing = sharing;
		this.teams = teams;
		this.logins = logins;
	}

	/**
	 * Sends one setup invite and returns it with its link. Errors: 404 domain, 409
	 * {@code domain_not_active}, 422 {@code invalid_email} / {@code invalid_local_part} /
	 * {@code out_of_range} / {@code invalid_language}, 409 {@code local_part_taken},
	 * {@code already_invited}, {@code plan_limit_reached}, {@code storage_pool_exceeded}.
	 */
	@Transactional
	public SentInvite send(Actor actor, SendSetupInvite command) {
		actor.requireScope("mailboxes:write");
		requireOrganization(actor);
		if (command.domainId() == null) {
			throw MailroomException.invalid("domain_id", "required", "Choose a domain");
		}
		DomainView domain = domains.requireActive(actor, command.domainId());
		EmailAddress recipient = recipient(command.recipientEmail());
		String localPart = command.localPart() == null || command.localPart().isBlank() ? null
				: LocalPart.of(command.localPart(), settings.allowReservedLocalParts()).value();
		int hours = command.expiresInHours() == null ? DEFAULT_HOURS : command.expiresInHours();
		if (hours < 1 || hours > 720) {
			throw MailroomException.invalid("expires_in_hours", "out_of_range", "Links last 1 to 720 hours (30 days)");
		}
		String language = language(command.language());
		Integer storage = command.storageAllocationMb();
		if (storage != null && (storage < 1 || storage > MailboxService.MAX_STORAGE_MB)) {
			throw MailroomException.invalid("storage_allocation_mb", "out_of_range",
					"Storage is 1 to " + MailboxService.MAX_STORAGE_MB + " MB, or empty to use the pool");
		}
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		if (invites.pendingFor(domain.id(), recipient.value())) {
			throw MailroomException.conflict("already_invited",
					recipient.value() + " already has a pending invite on " + domain.name() + "; resend it instead");
		}
		if (localPart != null && (!mailboxes.addressAvailable(actor.orgId(), domain, localPart)
				|| invites.localPartPromised(domain.id(), localPart, null))) {
			throw new MailroomException(HttpStatus.CONFLICT, "local_part_taken",
					localPart + "@" + domain.name() + " already exists or is promised to another invite",
					List.of(new MailroomException.FieldError("local_part", "local_part_taken", "This address is taken")),
					Map.of());
		}
		mailboxes.requireRoom(actor.orgId(), domain.id(), limits, 1, storage == null ? 0 : storage);
		UUID id = UUID.randomUUID();
		invites.insertSetup(id, actor.orgId(), domain.id(), recipient.value(), localPart, storage, null, language,
				actor.userId(), inviterName(actor), hours);
		InviteView invite = invites.find(id).orElseThrow();
		queueEmail(invite);
		audit.record(actor, actor.orgId(), "invite.sent", "invite:" + id,
				details("recipient_email", recipient.value(), "domain", domain.name(), "local_part", localPart));
		return new SentInvite(invites.find(id).orElseThrow(), link(invite));
	}

	public static final int API_BATCH = 100;

	/**
	 * Checks a batch without sending anything: each recipient's mailbox-to-be and its problems
	 * ({@code invalid_email}, {@code invalid_local_part}, {@code duplicate_in_batch},
	 * {@code local_part_taken}, {@code already_invited}, {@code out_of_range}, and, past the room
	 * left, {@code plan_limit_reached} / {@code storage_pool_exceeded}), plus the room summary.
	 */
	@Transactional(readOnly = true)
	public BulkPreview preview(Actor actor, BulkInvite batch) {
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		Batch checked = checkBatch(actor, batch);
		return checked.preview();
	}

	/**
	 * Sends a whole batch or nothing: any problem → 422 {@code validation_failed} with
	 * {@code items: [{index, errors}]}. Checked again under the organization's lock, so racing
	 * batches cannot overshoot the cap or the pool.
	 */
	@Transactional
	public BulkSent sendBulk(Actor actor, BulkInvite batch) {
		actor.requireScope("mailboxes:write");
		requireOrganization(actor);
		organizations.lockForLimitCheck(actor.orgId());
		Batch checked = checkBatch(actor, batch);
		BulkPreview preview = checked.preview();
		if (!preview.sendable()) {
			List<Map<String, Object>> items = preview.items()
				.stream()
				.filter(i -> !i.errors().isEmpty())
				.map(i -> Map.<String, Object>of("index", i.index(), "errors", i.errors()))
				.toList();
			throw new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed",
					items.size() + " recipient(s) need attention; nothing was sent", List.of(), Map.of("items", items));
		}
		UUID batchId = UUID.randomUUID();
		List<Invites.NewSetup> rows = preview.items()
			.stream()
			// a derived local part is fixed like a given one: the preview promised that address
			.map(i -> new Invites.NewSetup(UUID.randomUUID(), i.recipientEmail(), i.localPart(), i.storageAllocationMb()))
			.toList();
		invites.insertSetupBatch(actor.orgId(), checked.domain().id(), batchId, checked.language(), actor.userId(),
				inviterName(actor), checked.hours(), rows);
		outbox.queueAll(actor.orgId(), SETUP_TEMPLATE, checked.language(), rows.stream()
			.map(r -> new Outbox.Queued(r.recipient(), Map.of("invite_id", r.id().toString(), "link_version", 1),
					"invite:" + r.id()))
			.toList());
		Map<UUID, InviteView> inserted = new java.util.HashMap<>();
		invites.ofBatch(batchId).forEach(i -> inserted.put(i.id(), i));
		List<SentInvite> sent = rows.stream().map(r -> inserted.get(r.id())).map(i -> new SentInvite(i, link(i))).toList();
		audit.record(actor, actor.orgId(), "invite.batch_sent", "batch:" + batchId,
				Map.of("domain", checked.domain().name(), "count", sent.size()));
		return new BulkSent(batchId, sent);
	}

	/** A batch after its shape checks: the domain, expiry, language and the preview. */
	private record Batch(DomainView domain, int hours, String language, BulkPreview preview) {
	}

	private Batch checkBatch(Actor actor, BulkInvite batch) {
		if (batch.domainId() == null) {
			throw MailroomException.invalid("domain_id", "required", "Choose a domain");
		}
		DomainView domain = domains.requireActive(actor, batch.domainId());
		Limits limits = organizations.limits(actor.orgId());
		int max = batch.source() == BulkInvite.Source.API ? Math.min(API_BATCH, limits.invitesPerBatch())
				: limits.invitesPerBatch();
		if (batch.items() == null || batch.items().isEmpty()) {
			throw MailroomException.invalid("items", "required", "Add at least one recipient");
		}
		if (batch.items().size() > max) {
			throw MailroomException.invalid("items", "too_many_items", "At most " + max + " recipients per "
					+ (batch.source() == BulkInvite.Source.API ? "call; chunk longer lists" : "batch; split the list"));
		}
		int hours = batch.expiresInHours() == null ? DEFAULT_HOURS : batch.expiresInHours();
		if (hours < 1 || hours > 720) {
			throw MailroomException.invalid("expires_in_hours", "out_of_range", "Links last 1 to 720 hours (30 days)");
		}
		String language = language(batch.language());
		MailboxService.Room room = mailboxes.room(actor.orgId(), domain.id(), limits);
		// first the values, then three set-based lookups, then the verdicts: a 500-row preview
		// costs a few queries, not one per row
		record Normalised(String email, String localPart, String source) {
		}
		List<Normalised> values = new ArrayList<>();
		for (BulkInvite.Item item : batch.items()) {
			String email = EmailAddress.isValid(item.recipientEmail()) ? EmailAddress.of(item.recipientEmail()).value() : null;
			String source = item.localPart() != null && !item.localPart().isBlank() ? item.localPart()
					: email == null ? null : derivedLocalPart(email);
			String localPart = null;
			if (source != null && LocalPart.isValid(source, settings.allowReservedLocalParts())) {
				localPart = LocalPart.of(source, settings.allowReservedLocalParts()).value();
			}
			values.add(new Normalised(email, localPart, source));
		}
		java.util.Set<String> taken = mailboxes.takenLocalParts(actor.orgId(), domain,
				values.stream().map(Normalised::localPart).filter(java.util.Objects::nonNull).toList());
		java.util.Set<String> invitedRecipients = invites.pendingRecipients(domain.id(),
				values.stream().map(Normalised::email).filter(java.util.Objects::nonNull).toList());
		java.util.Set<String> promised = invites.promisedLocalParts(domain.id(),
				values.stream().map(Normalised::localPart).filter(java.util.Objects::nonNull).toList());

		java.util.Set<String> addresses = new java.util.HashSet<>();
		java.util.Set<String> recipients = new java.util.HashSet<>();
		List<BulkPreview.Item> items = new ArrayList<>();
		long slotsLeft = room.remaining();
		long storageLeft = room.storageAvailableMb();
		long requested = 0;
		for (int i = 0; i < batch.items().size(); i++) {
			BulkInvite.Item item = batch.items().get(i);
			Normalised value = values.get(i);
			List<MailroomException.FieldError> errors = new ArrayList<>();
			String email = value.email();
			String localPart = value.localPart();
			if (email == null) {
				errors.add(new MailroomException.FieldError("recipient_email", "invalid_email", "Not a valid email address"));
			}
			if (value.source() != null && localPart == null) {
				errors.add(new MailroomException.FieldError("local_part", "invalid_local_part",
						"\"" + value.source() + "\" cannot be a mailbox name; edit it"));
			}
			String address = localPart == null ? null : localPart + "@" + domain.name();
			if (email != null && !recipients.add(email)) {
				errors.add(new MailroomException.FieldError("recipient_email", "duplicate_in_batch",
						"This recipient appears more than once"));
			}
			else if (address != null && !addresses.add(address)) {
				errors.add(new MailroomException.FieldError("local_part", "duplicate_in_batch",
						address + " appears more than once"));
			}
			else if (localPart != null && taken.contains(localPart)) {
				errors.add(new MailroomException.FieldError("local_part", "local_part_taken", address + " already exists"));
			}
			else if (email != null && invitedRecipients.contains(email)) {
				errors.add(new MailroomException.FieldError("recipient_email", "already_invited",
						email + " already has a pending invite"));
			}
			else if (localPart != null && promised.contains(localPart)) {
				errors.add(new MailroomException.FieldError("local_part", "already_invited",
						address + " is promised to a pending invite"));
			}
			Integer storage = item.storageAllocationMb();
			if (storage != null && (storage < 1 || storage > MailboxService.MAX_STORAGE_MB)) {
				errors.add(new MailroomException.FieldError("storage_allocation_mb", "out_of_range",
						"Storage is 1 to " + MailboxService.MAX_STORAGE_MB + " MB, or empty to use the pool"));
				storage = null;
			}
			if (slotsLeft <= 0) {
				errors.add(new MailroomException.FieldError("recipient_email", "plan_limit_reached",
						"Over the mailbox cap: upgrade your plan or remove rows"));
			}
			slotsLeft--;
			if (storage != null) {
				requested += storage;
				if (storage > storageLeft) {
					errors.add(new MailroomException.FieldError("storage_allocation_mb", "storage_pool_exceeded",
							"Not enough storage left in the pool"));
				}
				storageLeft -= storage;
			}
			items.add(new BulkPreview.Item(i, email == null ? item.recipientEmail() : email, localPart, address, storage,
					errors));
		}
		var summary = new BulkPreview.Summary(room.cap(), room.existing(), room.pending(), batch.items().size(),
				room.remaining(), room.storagePoolMb(), room.storageAvailableMb(), requested);
		return new Batch(domain, hours, language, new BulkPreview(items, summary));
	}

	/** The recipient's local part made into a valid mailbox name: lower-case, only allowed characters. */
	static String derivedLocalPart(String email) {
		String local = email.substring(0, email.lastIndexOf('@')).toLowerCase(java.util.Locale.ROOT);
		String cleaned = local.replaceAll("[^a-z0-9._+-]", "").replaceAll("\\.{2,}", ".");
		return cleaned.replaceAll("^[._+-]+", "").replaceAll("[._+-]+$", "");
	}

	/** Setup invites of the actor's organization (members: those they sent), oldest first. */
	@Transactional(readOnly = true)
	public Page<InviteView> list(Actor actor, String status, UUID domainId, UUID batchId, PageRequest page) {
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		if (status != null && !Set.of("pending", "accepted", "expired", "canceled").contains(status)) {
			throw MailroomException.invalid("status", "invalid_value", "status is pending, accepted, expired or canceled");
		}
		tenancy.enter(actor.orgId());
		PageRequest.Keyset after = page.afterKeyset();
		var filter = new Invites.Filter(status, domainId, batchId, actor.role() == OrgRole.MEMBER ? actor.userId() : null);
		List<InviteView> rows = invites.page(actor.orgId(), filter, after == null ? null : after.at(), after == null ? null : after.id(),
				page.limit() + 1)
			.stream()
			.filter(i -> i.domainId() == null || actor.mayUseDomain(i.domainId()))
			.toList();
		Page<InviteView> result = Page.of(rows, page, i -> PageRequest.keyset(i.createdAt(), i.id()));
		Map<String, DeliveryView> deliveries = outbox.latest(actor.orgId(),
				result.items().stream().map(i -> "invite:" + i.id()).toList());
		return result.map(i -> i.withDelivery(deliveries.get("invite:" + i.id())));
	}

	@Transactional(readOnly = true)
	public InviteView get(Actor actor, UUID id) {
		actor.requireScope("mailboxes:read");
		InviteView invite = visible(actor, id);
		return invite.withDelivery(outbox.latest(actor.orgId(), "invite:" + id).orElse(null));
	}

	/** The current link of a pending invite (not rotated); 409 {@code invite_not_pending} otherwise. */
	@Transactional(readOnly = true)
	public String currentLink(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		InviteView invite = visible(actor, id);
		requirePending(invite);
		return link(invite);
	}

	/**
	 * Sends a new link (the old one dies) with a fresh expiry. An expired invite comes back to
	 * life if the plan still has room. 409 {@code invite_not_pending} for accepted or canceled.
	 */
	@Transactional
	public SentInvite resend(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		return renew(actor, id, null, "invite.resent");
	}

	/** Changes the recipient and sends them a new link (the old one dies). */
	@Transactional
	public SentInvite readdress(Actor actor, UUID id, String recipientEmail) {
		actor.requireScope("mailboxes:write");
		EmailAddress recipient = recipient(recipientEmail);
		return renew(actor, id, recipient.value(), "invite.readdressed");
	}

	private SentInvite renew(Actor actor, UUID id, String newRecipient, String action) {
		requireOrganization(actor);
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		InviteView invite = visible(actor, id);
		invite = invites.lock(id).orElseThrow();
		if (!invite.pending() && !invite.status().equals("expired")) {
			throw notPending(invite);
		}
		if (invite.status().equals("expired") && invite.kind().equals("mailbox_setup")) {
			// an expired invite gave its slot back: it needs one again
			mailboxes.requireRoom(actor.orgId(), invite.domainId(), limits, 1,
					invite.storageAllocationMb() == null ? 0 : invite.storageAllocationMb());
		}
		if (newRecipient != null && !newRecipient.equals(invite.recipientEmail())
				&& invites.pendingFor(invite.domainId(), newRecipient)) {
			throw MailroomException.conflict("already_invited", newRecipient + " already has a pending invite on this domain");
		}
		requireResendAllowed(actor.orgId(), id, newRecipient == null ? invite.recipientEmail() : newRecipient);
		invites.renew(id, newRecipient);
		InviteView renewed = invites.find(id).orElseThrow();
		// a sharing link has no recipient: "resend" gives a new link to copy (the old one dies)
		if (renewed.recipientEmail() != null) {
			queueEmail(renewed);
		}
		audit.record(actor, actor.orgId(), action, "invite:" + id,
				details("recipient_email", renewed.recipientEmail(), "previous_recipient_email",
						newRecipient == null ? null : invite.recipientEmail()));
		return new SentInvite(invites.find(id).orElseThrow(), link(renewed));
	}

	/** Cancels a pending (or expired) invite: its link stops working and no mailbox will be made. */
	@Transactional
	public InviteView cancel(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		visible(actor, id);
		InviteView invite = invites.lock(id).orElseThrow();
		if (invite.status().equals("canceled")) {
			return invite;
		}
		if (invite.status().equals("accepted")) {
			throw notPending(invite);
		}
		invites.cancel(id);
		audit.record(actor, actor.orgId(), "invite.canceled", "invite:" + id,
				details("recipient_email", invite.recipientEmail()));
		return invites.find(id).orElseThrow();
	}

	/** Resends each invite in its own transaction: one refusal does not stop the others. */
	public List<BulkOutcome> bulkResend(Actor actor, List<UUID> ids) {
		actor.requireScope("mailboxes:write");
		return bulk(ids, id -> resend(actor, id).invite());
	}

	public List<BulkOutcome> bulkCancel(Actor actor, List<UUID> ids) {
		actor.requireScope("mailboxes:write");
		return bulk(ids, id -> cancel(actor, id));
	}

	private List<BulkOutcome> bulk(List<UUID> ids, Function<UUID, InviteView> action) {
		if (ids == null || ids.isEmpty() || ids.size() > 100) {
			throw MailroomException.invalid("ids", "too_many_items", "Give 1 to 100 invite ids");
		}
		List<BulkOutcome> outcomes = new ArrayList<>();
		for (UUID id : ids) {
			try {
				InviteView result = transactions.execute(status -> action.apply(id));
				outcomes.add(new BulkOutcome(id, result.status(), null));
			}
			catch (MailroomException e) {
				outcomes.add(new BulkOutcome(id, null, e.code()));
			}
		}
		return outcomes;
	}

	// ---- address-access invites -------------------------------------------------------------

	/**
	 * Shares an existing address by link, for one person (their email) or for whoever receives
	 * the link (no recipient: single use). A regular mailbox is a person's mail: it is shared only
	 * with proof of its own password ({@code mailboxPassword}, wrong guesses throttled) unless the
	 * actor is its login, and never by an owner or admin when another team member created it.
	 * Errors: 404 mailbox, 403 {@code mailbox_password_required} / {@code member_mailbox}, 429
	 * {@code too_many_attempts}, 409 mailbox_not_active, 422 own_address (the address itself),
	 * invalid_email, invalid_permission, out_of_range.
	 */
	@Transactional
	public SentInvite shareAddress(Actor actor, UUID mailboxId, ShareAddress command) {
		actor.requireScope("mailboxes:write");
		requireOrganization(actor);
		MailboxView mailbox = mailboxes.lockForSharing(actor, mailboxId);
		mailboxes.requireNotOtherMembersMailbox(actor, mailbox);
		return share(actor, mailbox, command);
	}

	/**
	 * A mailbox's own login shares their address from their account page (they are signed in as
	 * it, so no further proof is asked). 404 for a mailbox that is not theirs; otherwise as
	 * {@link #shareAddress}.
	 */
	@Transactional
	public SentInvite shareOwnAddress(Actor actor, UUID mailboxId, ShareAddress command) {
		MailboxView mailbox = mailboxes.lockOwnLogin(actor, mailboxId);
		Actor self = new Actor(Actor.Kind.USER, actor.userId(), actor.email(), mailbox.organizationId(), null, null, null,
				null, actor.ip());
		return share(self, mailbox, command);
	}

	/** The address-access invites of the signed-in person's own mailbox (their account page). */
	@Transactional(readOnly = true)
	public List<InviteView> ownAccessInvites(Actor actor, UUID mailboxId) {
		if (actor.userId() == null) {
			throw MailroomException.notFound("Mailbox");
		}
		MailboxView mailbox = mailboxes.ownLogins(actor.userId())
			.stream()
			.filter(m -> m.id().equals(mailboxId))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Mailbox"));
		tenancy.enter(mailbox.organizationId());
		return invites.forMailbox(mailbox.id());
	}

	private SentInvite share(Actor actor, MailboxView mailbox, ShareAddress command) {
		if (!mailbox.status().equals("active")) {
			throw MailroomException.conflict("mailbox_not_active", "Only an active address can be shared");
		}
		String recipient = command.recipientEmail() == null || command.recipientEmail().isBlank() ? null
				: recipient(command.recipientEmail()).value();
		if (mailbox.address().equals(recipient)) {
			throw MailroomException.invalid("recipient_email", "own_address",
					"This address cannot be shared with its own login");
		}
		String permission = command.permission() == null ? null : command.permission().strip();
		if (!SharingService.PERMISSIONS.contains(String.valueOf(permission))) {
			throw MailroomException.invalid("permission", "invalid_permission", "permission is reply or read_only");
		}
		if (command.accessUntil() != null && !command.accessUntil().isAfter(java.time.Instant.now())) {
			throw MailroomException.invalid("access_until", "out_of_range", "The end of access must be in the future");
		}
		String language = language(command.language());
		requireMailboxPassword(actor, mailbox, command.mailboxPassword());
		UUID id = UUID.randomUUID();
		invites.insertAccess(id, actor.orgId(), mailbox.id(), recipient, permission, command.accessUntil(), language,
				actor.userId(), inviterName(actor), DEFAULT_HOURS);
		InviteView invite = invites.find(id).orElseThrow();
		if (recipient != null && !Boolean.FALSE.equals(command.sendEmail())) {
			queueEmail(invite);
		}
		audit.record(actor, actor.orgId(), "invite.address_shared", "invite:" + id,
				details("address", mailbox.address(), "recipient_email", recipient, "permission", permission,
						"sharing_link", recipient == null));
		return new SentInvite(invites.find(id).orElseThrow(), link(invite));
	}

	/**
	 * Seed 003: sharing an address needs the address's own password. A shared mailbox has none and
	 * stays managed by admins; its own login needs no proof.
	 */
	private void requireMailboxPassword(Actor actor, MailboxView mailbox, String password) {
		if (!mailbox.regular() || mailbox.loginUserId() == null || mailbox.loginUserId().equals(actor.userId())) {
			return;
		}
		if (password == null || password.isEmpty() || !logins.provesPassword(mailbox.loginUserId(), password, actor.ip())) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "mailbox_password_required",
					"Sharing " + mailbox.address() + " needs its own password (mailbox_password): its person agrees to it",
					List.of(new MailroomException.FieldError("mailbox_password", "mailbox_password_required",
							"Enter the password of " + mailbox.address())),
					Map.of());
		}
	}

	/** The address-access invites of a mailbox, oldest first. */
	@Transactional(readOnly = true)
	public List<InviteView> accessInvites(Actor actor, UUID mailboxId) {
		actor.requireScope("mailboxes:read");
		MailboxView mailbox = mailboxes.get(actor, mailboxId);
		return invites.forMailbox(mailbox.id());
	}

	@Transactional
	public InviteView cancelAccess(Actor actor, UUID mailboxId, UUID inviteId) {
		requireAccessInvite(actor, mailboxId, inviteId);
		return cancel(actor, inviteId);
	}

	@Transactional
	public SentInvite resendAccess(Actor actor, UUID mailboxId, UUID inviteId) {
		requireAccessInvite(actor, mailboxId, inviteId);
		return resend(actor, inviteId);
	}

	private void requireAccessInvite(Actor actor, UUID mailboxId, UUID inviteId) {
		actor.requireScope("mailboxes:write");
		InviteView invite = visible(actor, inviteId);
		if (!invite.kind().equals("address_access") || !mailboxId.equals(invite.targetMailboxId())) {
			throw MailroomException.notFound("Invite");
		}
	}

	/**
	 * Redeems an address-access link for a signed-in person ({@code signedIn}) or for a new
	 * account made from the link ({@code newAccount}): the address appears in their mailboxes.
	 * A link for a specific email only works for that account (403 invite_email_mismatch); a
	 * sharing link works once for anyone. Concurrent redemptions of one link yield one grant.
	 */
	@Transactional
	public AcceptedAccess acceptAccess(String token, Actor signedIn, NewAccount newAccount, String ip) {
		throttle(ip);
		InviteView invite = usable(token, true);
		if (!invite.kind().equals("address_access")) {
			throw MailroomException.invalid("token", "wrong_invite_kind", "This link is for setting up a new mailbox");
		}
		UUID userId;
		String email;
		if (signedIn != null && signedIn.userId() != null) {
			userId = signedIn.userId();
			email = signedIn.email();
		}
		else if (newAccount != null) {
			if (invite.recipientEmail() == null) {
				// whoever holds a sharing link proves no inbox: the account must verify its email first
				throw new MailroomException(HttpStatus.FORBIDDEN, "verification_required",
						"A sharing link does not prove your email address: sign up and verify it first, then sign in "
								+ "and open this link again");
			}
			requireInvitedEmail(invite, newAccount.email());
			if (!provesInbox(invite, newAccount)) {
				identity.signUpFromInvitation(newAccount.email(), newAccount.password(), newAccount.name(), ip);
				return AcceptedAccess.verificationSent(invite.targetMailboxId(), invite.permission());
			}
			userId = identity.createInvitedAccount(newAccount.email(), newAccount.password(), newAccount.name(), ip);
			email = EmailAddress.of(newAccount.email()).value();
		}
		else {
			throw new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized",
					"Sign in (HTTP Basic) or give create_account to accept this invitation");
		}
		if (invite.recipientEmail() != null && !invite.recipientEmail().equalsIgnoreCase(email)) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "invite_email_mismatch",
					"This invitation is for " + invite.recipientEmail() + "; sign in with that account");
		}
		Actor guest = new Actor(Actor.Kind.USER, userId, email, invite.organizationId(), null, null, null, null, ip);
		GrantView grant = sharing.grant(guest, invite.organizationId(), invite.targetMailboxId(), userId,
				invite.permission(), invite.accessUntil(), invite.id());
		tenancy.enter(invite.organizationId());
		invites.accept(invite.id(), invite.targetMailboxId());
		audit.record(guest, invite.organizationId(), "invite.accepted", "invite:" + invite.id(),
				details("mailbox_id", invite.targetMailboxId().toString(), "user_id", userId.toString()));
		return new AcceptedAccess(grant.mailboxId(), grant.permission(), userId);
	}

	/**
	 * An account made from an invitation link; {@code proof} is the link's {@code proof}
	 * parameter, present only in the link emailed to the recipient.
	 */
	public record NewAccount(String email, String password, String name, String proof) {
	}

	/**
	 * Whether the link was opened from the recipient's inbox: the inviter holds the bare link (it
	 * is returned to them and copied from the UI), so holding it proves nothing about the inbox.
	 * Without the emailed proof, an account made from the link starts as a sign-up to verify.
	 */
	private boolean provesInbox(InviteView invite, NewAccount account) {
		return account.proof() != null
				&& links.proves(invite.organizationId(), invite.id(), invite.linkVersion(), account.proof());
	}

	// ---- team invites (the team module checks the owner and the seats) ---------------------

	/**
	 * Sends a team invite to {@code email}, valid 7 days. Joins the caller's transaction, in which
	 * the team module holds the organization's lock and has counted the seats. 422
	 * {@code invalid_email} / {@code invalid_language}; 409 {@code already_invited}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public SentInvite sendTeamInvite(Actor actor, String email, String language) {
		requireOrganization(actor);
		EmailAddress recipient;
		try {
			recipient = EmailAddress.of(email);
		}
		catch (MailroomException e) {
			throw MailroomException.invalid("email", "invalid_email", "Enter a valid email address");
		}
		String lang = language(language);
		tenancy.enter(actor.orgId());
		if (invites.pendingTeamFor(actor.orgId(), recipient.value())) {
			throw MailroomException.conflict("already_invited",
					recipient.value() + " already has a pending invitation; resend it instead");
		}
		UUID id = UUID.randomUUID();
		invites.insertTeam(id, actor.orgId(), recipient.value(), lang, actor.userId(), inviterName(actor), TEAM_HOURS);
		InviteView invite = invites.find(id).orElseThrow();
		queueEmail(invite);
		audit.record(actor, actor.orgId(), "invite.team_sent", "invite:" + id, Map.of("recipient_email", recipient.value()));
		return new SentInvite(invites.find(id).orElseThrow(), link(invite));
	}

	/** Pending, unexpired team invites of the organization: each holds a seat. */
	@Transactional(readOnly = true)
	public long pendingTeamInvites(UUID orgId) {
		tenancy.enter(orgId);
		return invites.pendingTeam(orgId);
	}

	/** The organization's team invites, oldest first, with the latest email about each. */
	@Transactional(readOnly = true)
	public Page<InviteView> teamInvites(UUID orgId, String status, PageRequest page) {
		if (status != null && !Set.of("pending", "accepted", "expired", "canceled").contains(status)) {
			throw MailroomException.invalid("status", "invalid_value", "status is pending, accepted, expired or canceled");
		}
		tenancy.enter(orgId);
		PageRequest.Keyset after = page.afterKeyset();
		Page<InviteView> result = Page.of(invites.teamPage(orgId, status, after == null ? null : after.at(),
				after == null ? null : after.id(), page.limit() + 1), page, i -> PageRequest.keyset(i.createdAt(), i.id()));
		Map<String, DeliveryView> deliveries = outbox.latest(orgId,
				result.items().stream().map(i -> "invite:" + i.id()).toList());
		return result.map(i -> i.withDelivery(deliveries.get("invite:" + i.id())));
	}

	/** One team invite of the organization; 404 for anything else. */
	@Transactional(readOnly = true)
	public InviteView teamInvite(UUID orgId, UUID id) {
		tenancy.enter(orgId);
		return invites.find(id)
			.filter(i -> i.organizationId().equals(orgId) && i.kind().equals("team"))
			.orElseThrow(() -> MailroomException.notFound("Invitation"));
	}

	/**
	 * Sends a team invite again with a new link (the old one dies) and 7 fresh days; an expired
	 * one comes back (the team module checked a seat for it). 409 {@code invite_not_pending} for
	 * accepted or canceled ones. Joins the caller's transaction.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public SentInvite renewTeamInvite(Actor actor, UUID id) {
		InviteView invite = lockTeamInvite(actor, id);
		if (!invite.pending() && !invite.status().equals("expired")) {
			throw notPending(invite);
		}
		if (invite.status().equals("expired") && invites.pendingTeamFor(actor.orgId(), invite.recipientEmail())) {
			throw MailroomException.conflict("already_invited",
					invite.recipientEmail() + " has a newer pending invitation; resend that one");
		}
		requireResendAllowed(actor.orgId(), id, invite.recipientEmail());
		invites.renew(id, null);
		InviteView renewed = invites.find(id).orElseThrow();
		queueEmail(renewed);
		audit.record(actor, actor.orgId(), "invite.resent", "invite:" + id,
				Map.of("recipient_email", renewed.recipientEmail(), "kind", "team"));
		return new SentInvite(invites.find(id).orElseThrow(), link(renewed));
	}

	/** Cancels a pending or expired team invite: its link dies. Joins the caller's transaction. */
	@Transactional(propagation = Propagation.MANDATORY)
	public InviteView cancelTeamInvite(Actor actor, UUID id) {
		InviteView invite = lockTeamInvite(actor, id);
		if (invite.status().equals("canceled")) {
			return invite;
		}
		if (invite.status().equals("accepted")) {
			throw notPending(invite);
		}
		invites.cancel(id);
		audit.record(actor, actor.orgId(), "invite.canceled", "invite:" + id,
				Map.of("recipient_email", invite.recipientEmail(), "kind", "team"));
		return invites.find(id).orElseThrow();
	}

	/**
	 * Cancels every pending invite {@code userId} sent in the actor's organization (a removed team
	 * member's): no mailbox or access will come of them. Joins the caller's transaction; returns
	 * how many were canceled.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int cancelAllSentBy(Actor actor, UUID userId) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		List<UUID> canceled = invites.cancelPendingSentBy(actor.orgId(), userId);
		if (!canceled.isEmpty()) {
			audit.record(actor, actor.orgId(), "invite.canceled_with_member", "user:" + userId,
					Map.of("invite_ids", canceled.stream().map(UUID::toString).toList()));
		}
		return canceled.size();
	}

	private InviteView lockTeamInvite(Actor actor, UUID id) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		return invites.lock(id)
			.filter(i -> i.organizationId().equals(actor.orgId()) && i.kind().equals("team"))
			.orElseThrow(() -> MailroomException.notFound("Invitation"));
	}

	/**
	 * Redeems a team link for the signed-in person ({@code signedIn}) or for an account made
	 * from the link ({@code newAccount}): they join the team as a member. Only the invited email
	 * may accept (403 {@code invite_email_mismatch}); the team's rules (409
	 * {@code paid_plan_conflict}, {@code already_member}, {@code seat_limit_reached}) are checked
	 * under the organization's lock, so concurrent acceptances cannot overfill the seats.
	 */
	@Transactional
	public AcceptedTeam acceptTeam(String token, Actor signedIn, NewAccount newAccount, String ip) {
		InviteView invite = lockedForRedemption(token, "team", "This link is not a team invitation", ip);
		UUID userId;
		String email;
		if (signedIn != null && signedIn.userId() != null) {
			userId = signedIn.userId();
			email = signedIn.email();
			requireInvitedEmail(invite, email);
		}
		else if (newAccount != null) {
			requireInvitedEmail(invite, newAccount.email());
			if (!provesInbox(invite, newAccount)) {
				identity.signUpFromInvitation(newAccount.email(), newAccount.password(), newAccount.name(), ip);
				return AcceptedTeam.verificationSent(invite.organizationId());
			}
			userId = identity.createInvitedAccount(newAccount.email(), newAccount.password(), newAccount.name(), ip);
			email = invite.recipientEmail();
		}
		else {
			throw new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized",
					"Sign in (HTTP Basic) or give create_account to accept this invitation");
		}
		Actor joiner = new Actor(Actor.Kind.USER, userId, email, invite.organizationId(), OrgRole.MEMBER, null, null, null,
				ip);
		enrolment().join(joiner, invite.organizationId());
		tenancy.enter(invite.organizationId());
		invites.accept(invite.id(), null);
		audit.record(joiner, invite.organizationId(), "invite.accepted", "invite:" + invite.id(),
				Map.of("kind", "team", "user_id", userId.toString()));
		return new AcceptedTeam(invite.organizationId(), userId);
	}

	/**
	 * Whether {@code userId} may accept this team link, before they try (the link page explains a
	 * refusal such as {@code paid_plan_conflict} up front). Throws what accepting would.
	 */
	@Transactional(readOnly = true)
	public void checkTeamJoin(String token, UUID userId) {
		InviteView invite = usable(token, false);
		if (invite.kind().equals("team")) {
			enrolment().requireMayJoin(invite.organizationId(), userId);
		}
	}

	private TeamEnrolment enrolment() {
		TeamEnrolment enrolment = teams.getIfAvailable();
		if (enrolment == null) {
			throw new IllegalStateException("No team module to enrol members");
		}
		return enrolment;
	}

	private static void requireInvitedEmail(InviteView invite, String email) {
		if (email == null || email.isBlank()) {
			throw MailroomException.invalid("email", "required", "Enter your email address");
		}
		if (!EmailAddress.isValid(email)) {
			throw MailroomException.invalid("email", "invalid_email", "Enter a valid email address");
		}
		if (!EmailAddress.of(email).value().equals(invite.recipientEmail())) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "invite_email_mismatch",
					"This invitation is for " + invite.recipientEmail() + "; use that email");
		}
	}

	// ---- the link, as its holder uses it --------------------------------------------------

	/**
	 * What the link shows. Changes nothing: mail scanners may open it any number of times.
	 * 404 for an unknown link; 410 {@code invite_expired}, {@code invite_canceled} (also for a
	 * link replaced by a newer one) or {@code invite_used}.
	 */
	@Transactional(readOnly = true)
	public InvitationInfo inspect(String token, String clientIp) {
		throttle(clientIp);
		InviteView invite = usable(token, false);
		OrganizationView organization = organizations.find(invite.organizationId()).orElseThrow();
		if (invite.kind().equals("team")) {
			return new InvitationInfo(invite.kind(), invite.status(), organization.name(), invite.invitedByName(),
					invite.recipientEmail(), null, null, null, false, null, invite.expiresAt(), invite.language());
		}
		if (invite.kind().equals("address_access")) {
			MailboxView mailbox = mailboxes.byIds(invite.organizationId(), List.of(invite.targetMailboxId()))
				.get(invite.targetMailboxId());
			String address = mailbox == null ? null : mailbox.address();
			return new InvitationInfo(invite.kind(), invite.status(), organization.name(), invite.invitedByName(),
					invite.recipientEmail(), address == null ? null : address.substring(address.indexOf('@') + 1), address,
					null, false, invite.permission(), invite.expiresAt(), invite.language());
		}
		DomainView domain = domains.find(invite.organizationId(), invite.domainId());
		return new InvitationInfo(invite.kind(), invite.status(), organization.name(), invite.invitedByName(),
				invite.recipientEmail(), domain.name(),
				invite.localPart() == null ? null : invite.localPart() + "@" + domain.name(), invite.localPart(),
				invite.localPart() == null, null, invite.expiresAt(), invite.language());
	}

	/** The kind of invite a link is for ({@code mailbox_setup}, {@code address_access}); 404/410 like {@link #inspect}. */
	@Transactional(readOnly = true)
	public String kindOf(String token) {
		return usable(token, false).kind();
	}

	/** Whether the holder may choose {@code localPart}: {@code null} when it is, else the code why not. */
	@Transactional(readOnly = true)
	public String unavailability(String token, String localPart, String clientIp) {
		throttle(clientIp);
		InviteView invite = usable(token, false);
		if (!invite.kind().equals("mailbox_setup")) {
			return "wrong_invite_kind";
		}
		DomainView domain = domains.find(invite.organizationId(), invite.domainId());
		String value;
		try {
			value = LocalPart.of(localPart, settings.allowReservedLocalParts()).value();
		}
		catch (MailroomException e) {
			return e.code();
		}
		if (invite.localPart() != null && !invite.localPart().equals(value)) {
			return "local_part_fixed";
		}
		if (!mailboxes.addressAvailable(invite.organizationId(), domain, value)
				|| invites.localPartPromised(domain.id(), value, invite.id())) {
			return "local_part_taken";
		}
		return null;
	}

	/**
	 * The invite behind a link of the expected kind, locked for redemption: the organization's lock
	 * first (limits and seats are checked under it), then the invite row, still usable.
	 */
	private InviteView lockedForRedemption(String token, String kind, String wrongKind, String ip) {
		throttle(ip);
		InviteView peek = usable(token, false);
		if (!peek.kind().equals(kind)) {
			throw MailroomException.invalid("token", "wrong_invite_kind", wrongKind);
		}
		organizations.lockForLimitCheck(peek.organizationId());
		return usable(token, true);
	}

	/**
	 * Redeems a setup link: creates the mailbox (active, with its login and recovery code) in
	 * one transaction; the link is used up. Concurrent redemptions of one link yield exactly one
	 * mailbox (the others get 410 {@code invite_used}).
	 */
	@Transactional
	public AcceptedSetup acceptSetup(String token, String localPart, String password, String ip) {
		InviteView invite = lockedForRedemption(token, "mailbox_setup", "This link shares an existing address", ip);
		String chosen = invite.localPart() != null ? invite.localPart() : localPart;
		if (chosen == null || chosen.isBlank()) {
			throw MailroomException.invalid("local_part", "required", "Choose the part before the @");
		}
		if (invite.localPart() != null && localPart != null && !localPart.isBlank()
				&& !LocalPart.of(localPart, true).value().equals(invite.localPart())) {
			throw MailroomException.invalid("local_part", "local_part_fixed", "This invite is for " + invite.localPart());
		}
		String value = LocalPart.of(chosen, settings.allowReservedLocalParts()).value();
		DomainView domain = domains.find(invite.organizationId(), invite.domainId());
		if (invites.localPartPromised(domain.id(), value, invite.id())) {
			throw new MailroomException(HttpStatus.CONFLICT, "local_part_taken", "This address is taken; choose another",
					List.of(new MailroomException.FieldError("local_part", "local_part_taken", "This address is taken")),
					Map.of());
		}
		Actor invitee = new Actor(Actor.Kind.USER, null, invite.recipientEmail(), invite.organizationId(), null, null, null,
				null, ip);
		CreatedMailbox created = mailboxes.createForInvite(invitee, domain, value, password, invite.storageAllocationMb(),
				invite.invitedByUserId());
		invites.accept(invite.id(), created.mailbox().id());
		audit.record(invitee, invite.organizationId(), "invite.accepted", "invite:" + invite.id(),
				details("mailbox_id", created.mailbox().id().toString(), "address", created.mailbox().address()));
		return new AcceptedSetup(created.mailbox().id(), created.mailbox().address(), created.recoveryCode(),
				created.mailbox().loginUserId());
	}

	/** Records the expiry of overdue invites (their slots are already free); returns how many. */
	@Transactional
	public int expireOverdue(int max) {
		tenancy.enterOperator();
		int expired = 0;
		for (InviteView invite : invites.overdue(max)) {
			tenancy.enter(invite.organizationId());
			expired += invites.markExpired(invite.id());
		}
		return expired;
	}

	// ---- for the pending-invite reservations and the email renderer ------------------------

	long pendingOnDomain(UUID orgId, UUID domainId) {
		tenancy.enter(orgId);
		return invites.pendingOnDomain(domainId);
	}

	long pendingInOrganization(UUID orgId) {
		tenancy.enter(orgId);
		return invites.pendingInOrganization(orgId);
	}

	long reservedStorageMb(UUID orgId) {
		tenancy.enter(orgId);
		return invites.reservedStorageMb(orgId);
	}

	/** Pending setup invites as the mailbox list shows them (see {@code PendingMailboxes}). */
	List<PendingMailbox> pendingMailboxes(Actor actor, UUID domainId, String query, PageRequest.Keyset after,
			int limit) {
		tenancy.enter(actor.orgId());
		List<InviteView> rows = invites.pendingPage(actor.orgId(), domainId, query,
				actor.role() == OrgRole.MEMBER ? actor.userId() : null,
				actor.domainIds() == null ? null : List.copyOf(actor.domainIds()), after == null ? null : after.at(),
				after == null ? null : after.id(), limit);
		Map<UUID, String> domainNames = new HashMap<>();
		return rows.stream()
			.map(i -> new PendingMailbox(i.id(), i.domainId(),
					i.localPart() == null ? null
							: i.localPart() + "@"
									+ domainNames.computeIfAbsent(i.domainId(), d -> domains.find(actor.orgId(), d).name()),
					i.recipientEmail(), i.expiresAt(), i.createdAt()))
			.toList();
	}

	/** The invite an email is about, if it is still pending with that link version. */
	Optional<InviteView> pendingWithVersion(UUID orgId, UUID inviteId, int version) {
		tenancy.enter(orgId);
		return invites.find(inviteId).filter(i -> i.pending() && i.linkVersion() == version);
	}

	String link(InviteView invite) {
		return links.link(invite.organizationId(), invite.id(), invite.linkVersion());
	}

	/** The link for the recipient's email: with the proof that they read it there. */
	String emailedLink(InviteView invite) {
		return links.emailedLink(invite.organizationId(), invite.id(), invite.linkVersion());
	}

	String organizationName(UUID orgId) {
		return organizations.find(orgId).map(OrganizationView::name).orElse("");
	}

	String mailboxAddress(UUID orgId, UUID mailboxId) {
		MailboxView mailbox = mailboxes.byIds(orgId, List.of(mailboxId)).get(mailboxId);
		return mailbox == null ? "" : mailbox.address();
	}

	String domainName(UUID orgId, UUID domainId) {
		return domains.find(orgId, domainId).name();
	}

	// ---- internals ------------------------------------------------------------------------

	/**
	 * Resending cannot flood one inbox: 5 per hour per invite and 20 per day per recipient across
	 * the organization, whatever the invite (429 {@code resend_limit_reached} with the wait). The
	 * buckets live in PostgreSQL, so parallel resends take their tokens one at a time; a refusal
	 * by the invite's bucket leaves the recipient's untouched.
	 */
	private void requireResendAllowed(UUID orgId, UUID inviteId, String recipient) {
		long wait = rateLimits.tryConsume(RateLimits.RESEND_PER_INVITE, inviteId.toString());
		if (wait == 0 && recipient != null) {
			wait = rateLimits.tryConsume(RateLimits.RESEND_PER_RECIPIENT,
					orgId + ":" + recipient.toLowerCase(java.util.Locale.ROOT));
		}
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "resend_limit_reached",
					"This invitation was sent too often; try again in " + Math.max(1, (wait + 59) / 60) + " minute(s)",
					List.of(), Map.of("retry_after_seconds", wait));
		}
	}

	/** The public link endpoints are rate limited per client: 429 {@code rate_limited}. */
	private void throttle(String clientIp) {
		long wait = rateLimits.tryConsume(RateLimits.INVITATION_PER_CLIENT, clientIp == null ? "" : clientIp);
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
					"Too many requests from your network; try again in a minute", List.of(),
					Map.of("retry_after_seconds", wait));
		}
	}

	private void queueEmail(InviteView invite) {
		String template = switch (invite.kind()) {
			case "address_access" -> ACCESS_TEMPLATE;
			case "team" -> TEAM_TEMPLATE;
			default -> SETUP_TEMPLATE;
		};
		outbox.queue(invite.organizationId(), template, invite.language(), invite.recipientEmail(),
				Map.of("invite_id", invite.id().toString(), "link_version", invite.linkVersion()), "invite:" + invite.id());
		invites.sent(invite.id());
	}

	/** The invite a token names, if the token is current and the invite can still be used. */
	private InviteView usable(String token, boolean lock) {
		SignedLinkTokens.Parsed parsed = links.parse(token).orElseThrow(InvitationService::unknownLink);
		tenancy.enter(parsed.scope());
		InviteView invite = (lock ? invites.lock(parsed.id()) : invites.find(parsed.id()))
			.filter(i -> i.organizationId().equals(parsed.scope()))
			.orElseThrow(InvitationService::unknownLink);
		if (!links.matches(parsed, invite.linkVersion())) {
			for (int version = invite.linkVersion() - 1; version >= 1; version--) {
				if (links.matches(parsed, version)) {
					throw gone("invite_canceled", "This link was replaced by a newer one; use the latest invitation email");
				}
			}
			throw unknownLink();
		}
		return switch (invite.status()) {
			case "pending" -> invite;
			case "accepted" -> throw gone("invite_used", "This invitation was already used");
			case "canceled" -> throw gone("invite_canceled", "This invitation was canceled; ask for a new invite");
			default -> throw gone("invite_expired", "Link expired — ask for a new invite");
		};
	}

	private InviteView visible(Actor actor, UUID id) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		// team invites are the team owner's, through the team module only
		InviteView invite = invites.find(id)
			.filter(i -> i.organizationId().equals(actor.orgId()) && !i.kind().equals("team")
					&& (i.domainId() == null || actor.mayUseDomain(i.domainId())))
			.filter(i -> i.targetMailboxId() == null || !actor.domainLimited() || targetOnAllowedDomain(actor, i))
			.orElseThrow(() -> MailroomException.notFound("Invite"));
		if (actor.role() == OrgRole.MEMBER && !actor.userId().equals(invite.invitedByUserId())) {
			throw MailroomException.forbidden("This invite was sent by another member of your team");
		}
		return invite;
	}

	/** An address-access invite is on its mailbox's domain: a domain-limited key reaches only its own. */
	private boolean targetOnAllowedDomain(Actor actor, InviteView invite) {
		MailboxView target = mailboxes.byIds(actor.orgId(), List.of(invite.targetMailboxId())).get(invite.targetMailboxId());
		return target != null && actor.mayUseDomain(target.domainId());
	}

	private String inviterName(Actor actor) {
		return identity.user(actor.userId()).map(UserView::name).orElse(actor.email());
	}

	private static EmailAddress recipient(String email) {
		try {
			return EmailAddress.of(email);
		}
		catch (MailroomException e) {
			throw MailroomException.invalid("recipient_email", "invalid_email", "Enter a valid email address");
		}
	}

	private static String language(String language) {
		String value = language == null ? "en" : language.strip().toLowerCase(java.util.Locale.ROOT);
		if (!LANGUAGES.contains(value)) {
			throw MailroomException.invalid("language", "invalid_language", "The invitation language is en, fr or de");
		}
		return value;
	}

	private static void requirePending(InviteView invite) {
		if (!invite.pending()) {
			throw notPending(invite);
		}
	}

	private static MailroomException notPending(InviteView invite) {
		return MailroomException.conflict("invite_not_pending", "This invite is " + invite.status());
	}

	private static void requireOrganization(Actor actor) {
		if (actor.orgId() == null) {
			throw MailroomException.forbidden("Choose an organization first");
		}
	}

	private static MailroomException unknownLink() {
		return new MailroomException(HttpStatus.NOT_FOUND, "not_found", "This invitation link is not valid");
	}

	private static MailroomException gone(String code, String message) {
		return new MailroomException(HttpStatus.GONE, code, message);
	}

	private static Map<String, Object> details(Object... pairs) {
		Map<String, Object> map = new java.util.HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				map.put((String) pairs[i], pairs[i + 1]);
			}
		}
		return map;
	}
}
