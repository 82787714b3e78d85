package dev.mailroom.mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.identity.LoginPasswordChanged;
import dev.mailroom.identity.LoginService;
import dev.mailroom.organization.Limits;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.Names;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.Tenancy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mailboxes: the only entry for changes to them. Every check of the form "used + new ≤ limit"
 * runs under the organization's row lock (taken first in each writing method), so concurrent
 * requests cannot overshoot a limit.
 */
@Service
public class MailboxService {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MailboxService.class);

	public static final int MAX_BULK_ITEMS = 100;
	public static final int MAX_STORAGE_MB = 10 * 1024 * 1024;

	private final Mailboxes mailboxes;
	private final DomainService domains;
	private final LoginService logins;
	private final OrganizationService organizations;
	private final Tenancy tenancy;
	private final AuditLog audit;
	private final List<MailboxReservations> reservations;
	private final MailroomSettings settings;
	private final ObjectProvider<SharedMailboxMembers> members;
	private final ObjectProvider<MailStore> mailStore;
	private final ApplicationEventPublisher events;
	private final MailWipes mailWipes;
	private final ObjectProvider<PendingMailboxes> pendingMailboxes;

	MailboxService(Mailboxes mailboxes, DomainService domains, LoginService logins, OrganizationService organizations,
			Tenancy tenancy, AuditLog audit, List<MailboxReservations> reservations, MailroomSettings settings,
			ObjectProvider<SharedMailboxMembers> members, ObjectProvider<MailStore> mailStore,
			ApplicationEventPublisher events, MailWipes mailWipes, ObjectProvider<PendingMailboxes> pendingMailboxes) {
		this.mailWipes = mailWipes;
		this.pendingMailboxes = pendingMailboxes;
		this.members = members;
		this.mailStore = mailStore;
		this.events = events;
		this.mailboxes = mailboxes;
		this.domains = domains;
		this.logins = logins;
		this.organizations = organizations;
		this.tenancy = tenancy;
		this.audit = audit;
		this.reservations = reservations;
		this.settings = settings;
	}

	/**
	 * Creates one regular mailbox with its login. Errors: 404 unknown domain, 409
	 * {@code domain_not_active}, 422 {@code invalid_local_part} / {@code weak_password} /
	 * {@code out_of_range}, 409 {@code local_part_taken}, {@code plan_limit_reached},
	 * {@code storage_pool_exceeded}.
	 */
	@Transactional
	public CreatedMailbox create(Actor actor, NewMailbox request) {
		return createAll(actor, request.domainId(), List.of(request), false).getFirst();
	}

	/**
	 * Creates up to 100 regular mailboxes on one domain, all or nothing. Invalid items → 422
	 * {@code validation_failed} with {@code items: [{index, errors}]} and nothing created.
	 */
	@Transactional
	public List<CreatedMailbox> createBulk(Actor actor, UUID domainId, List<NewMailbox> items) {
		if (items == null || items.isEmpty()) {
			throw MailroomException.invalid("items", "required", "Give at least one mailbox");
		}
		if (items.size() > MAX_BULK_ITEMS) {
			throw MailroomException.invalid("items", "too_many_items",
					"At most " + MAX_BULK_ITEMS + " mailboxes per call; split the list into chunks");
		}
		return createAll(actor, domainId, items, true);
	}

	/**
	 * Checks a list of mailboxes to create without creating anything: per-item problems (invalid
	 * or reserved local part, duplicate in the list, address taken, weak password, storage) and
	 * the domain's and pool's room. For the bulk-create preview.
	 */
	@Transactional(readOnly = true)
	public BulkPreview previewBulk(Actor actor, UUID domainId, List<NewMailbox> items) {
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		DomainView domain = domains.requireActive(actor, domainId);
		Limits limits = organizations.limits(actor.orgId());
		List<Checked> checked = check(domain, items, items.stream().map(NewMailbox::password).toList());
		long requested = checked.stream().mapToLong(c -> c.storageMb() == null ? 0 : c.storageMb()).sum();
		List<BulkPreview.Item> previewItems = checked.stream()
			.map(c -> new BulkPreview.Item(c.index(), c.localPart() == null ? items.get(c.index()).localPart()
					: c.localPart().value(), c.address(), c.storageMb(), c.generated(), c.errors()))
			.toList();
		Room room = room(actor.orgId(), domain.id(), limits);
		return new BulkPreview(previewItems, room.cap(), room.existing(), room.pending(), items.size(), room.remaining(),
				room.storagePoolMb(), room.storageAvailableMb(), requested);
	}

	/** The result of {@link #previewBulk}: items with their problems, and the room left. */
	public record BulkPreview(List<Item> items, int mailboxCap, long existing, long pending, int thisBatch,
			long remaining, long storagePoolMb, long storageAvailableMb, long storageRequestedMb) {

		public record Item(int index, String localPart, String address, Integer storageMb, boolean passwordGenerated,
				List<MailroomException.FieldError> errors) {
		}

		public boolean sendable() {
			return items.stream().allMatch(i -> i.errors().isEmpty()) && thisBatch <= remaining
					&& storageRequestedMb <= storageAvailableMb;
		}
	}

	/** One item after checking: its normalised values, or its problems. */
	private record Checked(int index, LocalPart localPart, String address, String password, boolean generated,
			Integer storageMb, String displayName, List<MailroomException.FieldError> errors) {
	}

	/** {@code passwords} are the items' passwords with generated ones filled in ({@code null} to skip). */
	private List<Checked> check(DomainView domain, List<NewMailbox> items, List<String> passwords) {
		List<Checked> checked = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < items.size(); i++) {
			NewMailbox item = items.get(i);
			List<MailroomException.FieldError> itemErrors = new ArrayList<>();
			LocalPart localPart = null;
			try {
				localPart = LocalPart.of(item.localPart(), settings.allowReservedLocalParts());
			}
			catch (MailroomException e) {
				itemErrors.addAll(e.errors());
			}
			String address = localPart == null ? null : localPart.value() + "@" + domain.name();
			if (address != null && !seen.add(address)) {
				itemErrors.add(new MailroomException.FieldError("local_part", "duplicate_in_batch",
						"This address appears more than once in the list"));
			}
			else if (address != null && mailboxes.addressTaken(address)) {
				itemErrors.add(new MailroomException.FieldError("local_part", "local_part_taken",
						address + " already exists (perhaps in the recycle bin)"));
			}
			Integer storage = item.storageAllocationMb();
			if (storage != null && (storage < 1 || storage > MAX_STORAGE_MB)) {
				itemErrors.add(new MailroomException.FieldError("storage_allocation_mb", "out_of_range",
						"Storage is 1 to " + MAX_STORAGE_MB + " MB, or empty to use the pool"));
			}
			boolean generated = item.password() == null;
			String password = passwords.get(i);
			if (!generated && address != null) {
				try {
					logins.requireStrong(password, address);
				}
				catch (MailroomException e) {
					itemErrors.addAll(e.errors());
				}
			}
			String displayName = item.displayName() == null || item.displayName().isBlank() ? null
					: item.displayName().strip();
			Names.check("display_name", displayName, 200).ifPresent(itemErrors::add);
			checked.add(new Checked(i, localPart, address, password, generated, storage, displayName, itemErrors));
		}
		return checked;
	}

	private List<CreatedMailbox> createAll(Actor actor, UUID domainId, List<NewMailbox> items, boolean batch) {
		actor.requireScope("mailboxes:write");
		requireOrganization(actor);
		if (domainId == null) {
			throw MailroomException.invalid("domain_id", "required", "Choose a domain");
		}
		DomainView domain = domains.requireActive(actor, domainId);
		List<String> passwords = items.stream()
			.map(i -> i.password() == null ? LoginService.generatePassword() : i.password())
			.toList();
		// the costly part, before the organization's lock so other requests are not held up by it
		List<LoginService.HashedPassword> hashes = logins.hashAll(passwords);
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		List<Checked> checked = check(domain, items, passwords);
		Map<Integer, List<MailroomException.FieldError>> errors = new LinkedHashMap<>();
		checked.stream().filter(c -> !c.errors().isEmpty()).forEach(c -> errors.put(c.index(), c.errors()));
		if (!errors.isEmpty()) {
			throw itemErrors(batch, errors);
		}
		long storage = checked.stream().mapToLong(c -> c.storageMb() == null ? 0 : c.storageMb()).sum();
		requireCapacity(actor.orgId(), domain.id(), limits, checked.size(), storage);

		List<CreatedMailbox> created = new ArrayList<>();
		for (Checked item : checked) {
			LoginService.NewLogin login = logins.create(item.address(), item.displayName(), hashes.get(item.index()))
				.orElseThrow(() -> taken(batch, item.index(), item.address()));
			UUID id = UUID.randomUUID();
			mailboxes.insert(id, actor.orgId(), domain.id(), item.localPart().value(), item.address(), "regular",
					item.displayName(), item.storageMb(), login.userId(), actor.userId());
			audit.record(actor, actor.orgId(), "mailbox.created", "mailbox:" + id,
					detailsOf("address", item.address(), "storage_allocation_mb", item.storageMb(), "password",
							item.generated() ? "generated" : "set by admin"));
			created.add(new CreatedMailbox(mailboxes.find(id).orElseThrow(), item.generated() ? item.password() : null,
					login.recoveryCode()));
		}
		return created;
	}

	/**
	 * For invitations: refuses unless the domain and the organization have room for
	 * {@code newMailboxes} more (pending invites included) and the pool for {@code newStorageMb}.
	 * The caller holds the organization's lock ({@code OrganizationService.lockForLimitCheck}).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void requireRoom(UUID orgId, UUID domainId, Limits limits, int newMailboxes, long newStorageMb) {
		tenancy.enter(orgId);
		requireCapacity(orgId, domainId, limits, newMailboxes, newStorageMb);
	}

	/**
	 * How much room a domain has: its cap, the mailboxes on it and the pending invites for it,
	 * the organization's active-mailbox room and its storage pool (pending invites included).
	 */
	@Transactional(readOnly = true)
	public Room room(UUID orgId, UUID domainId, Limits limits) {
		tenancy.enter(orgId);
		long pendingOnDomain = reservations.stream().mapToLong(r -> r.onDomain(orgId, domainId)).sum();
		long active = mailboxes.countWithStatus(orgId, "active")
				+ reservations.stream().mapToLong(r -> r.inOrganization(orgId)).sum();
		long storage = mailboxes.allocatedStorageMb(orgId) + reservations.stream().mapToLong(r -> r.storageMb(orgId)).sum();
		return new Room(limits.mailboxesPerDomain(), mailboxes.countOnDomain(domainId), pendingOnDomain,
				limits.activeMailboxes() - active, limits.storagePoolMb(), limits.storagePoolMb() - storage);
	}

	/** See {@link #room}. {@code remaining} is the smaller of the domain's and the organization's room. */
	public record Room(int cap, long existing, long pending, long activeRoom, long storagePoolMb, long storageAvailableMb) {

		public long remaining() {
			return Math.max(0, Math.min(cap - existing - pending, activeRoom));
		}
	}

	/**
	 * Whether {@code localPart} may become a new mailbox on the domain: 422
	 * {@code invalid_local_part} if it is not valid or reserved, {@code false} when the address
	 * exists (the recycle bin included).
	 */
	@Transactional(readOnly = true)
	public boolean addressAvailable(UUID orgId, DomainView domain, String localPart) {
		tenancy.enter(orgId);
		LocalPart valid = LocalPart.of(localPart, settings.allowReservedLocalParts());
		return !mailboxes.addressTaken(valid.value() + "@" + domain.name());
	}

	/** Which of the (valid) {@code localParts} already exist on the domain, the recycle bin included. */
	@Transactional(readOnly = true)
	public java.util.Set<String> takenLocalParts(UUID orgId, DomainView domain, java.util.Collection<String> localParts) {
		tenancy.enter(orgId);
		return mailboxes.takenLocalParts(domain.id(), localParts);
	}

	/**
	 * Creates the mailbox an accepted setup invite promised: the invite held its slot and
	 * storage, so no limit is checked again; the address must still be free (409
	 * {@code local_part_taken}). Joins the caller's transaction, which holds the organization's lock.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public CreatedMailbox createForInvite(Actor invitee, DomainView domain, String localPart, String password,
			Integer storageMb, UUID ownerUserId) {
		tenancy.enter(domain.organizationId());
		if (!domain.active()) {
			throw MailroomException.conflict("domain_not_active", "The domain of this invite is not active any more");
		}
		LocalPart valid = LocalPart.of(localPart, settings.allowReservedLocalParts());
		String address = valid.value() + "@" + domain.name();
		logins.requireStrong(password, address);
		if (mailboxes.addressTaken(address)) {
			throw taken(false, 0, address);
		}
		LoginService.NewLogin login = logins.create(address, null, password)
			.orElseThrow(() -> taken(false, 0, address));
		UUID id = UUID.randomUUID();
		mailboxes.insert(id, domain.organizationId(), domain.id(), valid.value(), address, "regular", null, storageMb,
				login.userId(), ownerUserId);
		audit.record(invitee, domain.organizationId(), "mailbox.created", "mailbox:" + id,
				detailsOf("address", address, "storage_allocation_mb", storageMb, "password", "set by the invitee"));
		return new CreatedMailbox(mailboxes.find(id).orElseThrow(), null, login.recoveryCode());
	}

	@Transactional(readOnly = true)
	public Page<MailboxView> list(Actor actor, UUID domainId, String kind, String status, String query,
			PageRequest page) {
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		if (kind != null && !kind.equals("regular") && !kind.equals("shared")) {
			throw MailroomException.invalid("kind", "invalid_value", "kind is regular or shared");
		}
		if (status != null && !List.of("active", "archived", "trashed").contains(status)) {
			throw MailroomException.invalid("status", "invalid_value", "status is active, archived or trashed");
		}
		tenancy.enter(actor.orgId());
		PageRequest.Keyset after = page.afterKeyset();
		String q = query == null || query.isBlank() ? null : query.strip().toLowerCase(java.util.Locale.ROOT);
		var filter = new Mailboxes.Filter(domainId, kind, status, q, seesOnlyOwn(actor) ? actor.userId() : null,
				actor.domainIds() == null ? null : List.copyOf(actor.domainIds()));
		List<MailboxView> rows = withMembers(actor.orgId(),
				mailboxes.page(actor.orgId(), filter, after == null ? null : after.at(), after == null ? null : after.id(),
						page.limit() + 1));
		return Page.of(rows, page, m -> PageRequest.keyset(m.createdAt(), m.id()));
	}

	/**
	 * The list with the mailboxes still to be set up (pending setup invites) among them, in one
	 * order — {@code (createdAt, id)}, an invite by when it was sent — and one keyset cursor, so
	 * pages hold both and never skip or repeat a row. {@code status} also takes
	 * {@code setup_pending} (only those); pending ones are left out for {@code kind=shared} and
	 * for the other statuses. Once an invite is redeemed its row is gone and the mailbox is listed.
	 */
	@Transactional(readOnly = true)
	public Page<MailboxListItem> listWithPending(Actor actor, UUID domainId, String kind, String status, String query,
			PageRequest page) {
		boolean onlyPending = "setup_pending".equals(status);
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		if (kind != null && !kind.equals("regular") && !kind.equals("shared")) {
			throw MailroomException.invalid("kind", "invalid_value", "kind is regular or shared");
		}
		if (status != null && !List.of("active", "archived", "trashed", "setup_pending").contains(status)) {
			throw MailroomException.invalid("status", "invalid_value",
					"status is active, archived, trashed or setup_pending");
		}
		tenancy.enter(actor.orgId());
		List<MailboxListItem> rows = new ArrayList<>();
		PageRequest.Keyset after = page.afterKeyset();
		if (!onlyPending) {
			String q = query == null || query.isBlank() ? null : query.strip().toLowerCase(java.util.Locale.ROOT);
			var filter = new Mailboxes.Filter(domainId, kind, status, q, seesOnlyOwn(actor) ? actor.userId() : null,
					actor.domainIds() == null ? null : List.copyOf(actor.domainIds()));
			withMembers(actor.orgId(), mailboxes.page(actor.orgId(), filter, after == null ? null : after.at(),
					after == null ? null : after.id(), page.limit() + 1))
				.forEach(m -> rows.add(new MailboxListItem(m, null)));
		}
		PendingMailboxes pending = pendingMailboxes.getIfAvailable();
		if (pending != null && (onlyPending || status == null) && (kind == null || kind.equals("regular"))) {
			String q = query == null || query.isBlank() ? null : query.strip().toLowerCase(java.util.Locale.ROOT);
			pending.page(actor, domainId, q, after, page.limit() + 1).forEach(p -> rows.add(new MailboxListItem(null, p)));
		}
		// uuids compare as PostgreSQL does (unsigned bytes = their lower-case text), so the merged
		// order is the one each query's keyset condition continues from
		rows.sort(Comparator.comparing(MailboxListItem::createdAt).thenComparing(r -> r.id().toString()));
		return Page.of(rows.size() > page.limit() + 1 ? rows.subList(0, page.limit() + 1) : rows, page,
				r -> PageRequest.keyset(r.createdAt(), r.id()));
	}

	/** The mailbox, or 404 (unknown, another organization's); 403 for a member's colleague's mailbox. */
	@Transactional(readOnly = true)
	public MailboxView get(Actor actor, UUID id) {
		actor.requireScope("mailboxes:read");
		return view(visible(actor, id).id());
	}

	/**
	 * Changes the display name and/or storage allocation ({@code clearStorage} moves it back to
	 * the pool). Storage growth is checked against the pool under the organization's lock.
	 */
	@Transactional
	public MailboxView update(Actor actor, UUID id, Optional<String> displayName, Optional<Integer> storageMb,
			boolean clearStorage) {
		actor.requireScope("mailboxes:write");
		Limits limits = lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		if (displayName.isEmpty() && storageMb.isEmpty() && !clearStorage) {
			// nothing to change (an empty PATCH): still a write, checked above, but nothing to audit
			return view(id);
		}
		requireNotTrashed(mailbox);
		String newName = displayName.isPresent() ? Names.optional("display_name", displayName.get(), 200)
				: mailbox.displayName();
		Integer newStorage = clearStorage ? null : storageMb.orElse(mailbox.storageAllocationMb());
		if (newStorage != null && (newStorage < 1 || newStorage > MAX_STORAGE_MB)) {
			throw MailroomException.invalid("storage_allocation_mb", "out_of_range",
					"Storage is 1 to " + MAX_STORAGE_MB + " MB, or null to use the pool");
		}
		long growth = (newStorage == null ? 0 : newStorage)
				- (mailbox.storageAllocationMb() == null ? 0 : mailbox.storageAllocationMb());
		if (growth > 0) {
			requireStorage(actor.orgId(), limits, growth);
		}
		mailboxes.update(id, newName, newStorage);
		audit.record(actor, actor.orgId(), "mailbox.updated", "mailbox:" + id,
				detailsOf("address", mailbox.address(), "display_name", newName, "storage_allocation_mb", newStorage));
		return view(id);
	}

	/** Archives (no sign-in, no mail) within the plan's archived limit; 409 {@code plan_limit_reached}. */
	@Transactional
	public MailboxView archive(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		Limits limits = lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		if (mailbox.status().equals("archived")) {
			return mailbox;
		}
		requireNotTrashed(mailbox);
		if (mailboxes.countWithStatus(actor.orgId(), "archived") + 1 > limits.archivedMailboxes()) {
			throw limitReached("Your plan allows " + limits.archivedMailboxes() + " archived mailboxes");
		}
		mailboxes.setStatus(id, "archived", null);
		setLogin(mailbox, false);
		accessEnded(mailbox, "archived");
		audit.record(actor, actor.orgId(), "mailbox.archived", "mailbox:" + id, Map.of("address", mailbox.address()));
		return view(id);
	}

	/** Brings an archived mailbox back to active, within the active-mailbox limit. */
	@Transactional
	public MailboxView unarchive(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		Limits limits = lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		if (mailbox.status().equals("active")) {
			return mailbox;
		}
		requireNotTrashed(mailbox);
		requireActiveSlot(actor.orgId(), limits, 1);
		mailboxes.setStatus(id, "active", null);
		setLogin(mailbox, true);
		audit.record(actor, actor.orgId(), "mailbox.unarchived", "mailbox:" + id, Map.of("address", mailbox.address()));
		return view(id);
	}

	/**
	 * Moves the mailbox to the recycle bin: it cannot sign in or receive mail and stops counting
	 * toward the caps, but its address stays reserved until the purge.
	 */
	@Transactional
	public void delete(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		if (mailbox.status().equals("trashed")) {
			return;
		}
		Instant purgeAt = Instant.now().plus(Duration.ofDays(settings.trashRetentionDays()));
		mailboxes.setStatus(id, "trashed", purgeAt);
		setLogin(mailbox, false);
		accessEnded(mailbox, "deleted");
		audit.record(actor, actor.orgId(), "mailbox.deleted", "mailbox:" + id,
				Map.of("address", mailbox.address(), "purge_at", purgeAt.toString()));
	}

	/** Takes a mailbox out of the recycle bin (active again), if the domain and plan have room. */
	@Transactional
	public MailboxView restore(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		Limits limits = lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		if (!mailbox.status().equals("trashed")) {
			return mailbox;
		}
		requireCapacity(actor.orgId(), mailbox.domainId(), limits, 1,
				mailbox.storageAllocationMb() == null ? 0 : mailbox.storageAllocationMb());
		mailboxes.setStatus(id, "active", null);
		setLogin(mailbox, true);
		audit.record(actor, actor.orgId(), "mailbox.restored", "mailbox:" + id, Map.of("address", mailbox.address()));
		return view(id);
	}

	/**
	 * Admin password reset of a regular mailbox: sets {@code password}, or generates one and
	 * returns it (shown once). The recovery code stays as it was.
	 */
	@Transactional
	public Optional<String> resetPassword(Actor actor, UUID id, String password) {
		actor.requireScope("mailboxes:write");
		lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		requireNotTrashed(mailbox);
		requireNotOtherMembersMailbox(actor, mailbox);
		if (!mailbox.regular() || mailbox.loginUserId() == null) {
			throw MailroomException.conflict("not_a_regular_mailbox", "A shared mailbox has no password");
		}
		boolean generated = password == null;
		String newPassword = generated ? LoginService.generatePassword() : password;
		if (!generated) {
			logins.requireStrong(newPassword, mailbox.address());
		}
		// ends the login's web sessions; its mail sessions end through LoginPasswordChanged
		logins.setPassword(mailbox.loginUserId(), newPassword);
		audit.record(actor, actor.orgId(), "mailbox.password_reset", "mailbox:" + id,
				Map.of("address", mailbox.address(), "password", generated ? "generated" : "set by admin"));
		return generated ? Optional.of(newPassword) : Optional.empty();
	}

	/**
	 * A login's password changed (own change, admin reset, recovery): the open IMAP sessions on
	 * the mailboxes it is the login of end after commit, with its sessions in shared mailboxes.
	 */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void on(LoginPasswordChanged event) {
		tenancy.enterUser(event.userId());
		for (MailboxView own : mailboxes.ownedByLogin(event.userId())) {
			tenancy.enter(own.organizationId());
			accessEnded(own, event.reason());
		}
	}

	/** The mailboxes a signed-in person may open as their own login. */
	@Transactional(readOnly = true)
	public List<MailboxView> ownLogins(UUID userId) {
		tenancy.enterUser(userId);
		return mailboxes.ownedByLogin(userId);
	}

	/** Usage against the plan, for the Mailboxes page: counts and storage. */
	@Transactional(readOnly = true)
	public Usage usage(Actor actor) {
		actor.requireScope("mailboxes:read");
		requireOrganization(actor);
		return usage(actor.orgId());
	}

	/** As {@link #usage(Actor)}, for the organization as a whole (team usage). */
	@Transactional(readOnly = true)
	public Usage usage(UUID orgId) {
		tenancy.enter(orgId);
		Limits limits = organizations.limits(orgId);
		long reservedStorage = reservations.stream().mapToLong(r -> r.storageMb(orgId)).sum();
		return new Usage(mailboxes.countWithStatus(orgId, "active"), mailboxes.countWithStatus(orgId, "archived"),
				mailboxes.countWithStatus(orgId, "trashed"), reservations.stream().mapToLong(r -> r.inOrganization(orgId)).sum(),
				mailboxes.allocatedStorageMb(orgId) + reservedStorage, limits.storagePoolMb(), limits.activeMailboxes(),
				limits.archivedMailboxes(), limits.mailboxesPerDomain());
	}

	/** Counts and storage against the plan. */
	public record Usage(long active, long archived, long trashed, long pending, long allocatedStorageMb,
			long storagePoolMb, int activeLimit, int archivedLimit, int perDomainLimit) {
	}

	/** Purges mailboxes whose recycle-bin retention ran out, with their logins; returns how many. */
	@Transactional
	public int purgeExpired(int max) {
		tenancy.enterOperator();
		int purged = 0;
		for (MailboxView candidate : mailboxes.expired(max)) {
			tenancy.enter(candidate.organizationId());
			Optional<MailboxView> locked = mailboxes.lockExpired(candidate.id());
			if (locked.isEmpty()) {
				continue;
			}
			MailboxView mailbox = locked.get();
			// the mail plane may be away: the wipe is recorded with the purge and done by wipePurgedMailData
			mailWipes.record(mailbox);
			mailboxes.delete(mailbox.id());
			if (mailbox.loginUserId() != null) {
				logins.delete(mailbox.loginUserId());
			}
			audit.record(Actor.operator(null), mailbox.organizationId(), "mailbox.purged", "mailbox:" + mailbox.id(),
					Map.of("address", mailbox.address()));
			purged++;
		}
		return purged;
	}

	/**
	 * Creates a shared mailbox (no login, no password) on an active domain, within the domain's
	 * mailbox cap and its shared-mailbox cap ({@code shared_limit_reached}). Joins the caller's
	 * transaction, which adds the members.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView createShared(Actor actor, UUID domainId, String localPart, String displayName) {
		actor.requireScope("mailboxes:write");
		requireOrganization(actor);
		if (domainId == null) {
			throw MailroomException.invalid("domain_id", "required", "Choose a domain");
		}
		DomainView domain = domains.requireActive(actor, domainId);
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		LocalPart valid = LocalPart.of(localPart, settings.allowReservedLocalParts());
		String address = valid.value() + "@" + domain.name();
		String name = Names.optional("display_name", displayName, 200);
		if (mailboxes.addressTaken(address)) {
			throw taken(false, 0, address);
		}
		requireCapacity(actor.orgId(), domain.id(), limits, 1, 0);
		requireSharedSlot(domain.id(), limits);
		// the domain's owner wins its addresses, as for a regular mailbox's login
		logins.releaseAddress(address);
		UUID id = UUID.randomUUID();
		mailboxes.insert(id, actor.orgId(), domain.id(), valid.value(), address, "shared", name, null, null,
				actor.userId());
		audit.record(actor, actor.orgId(), "mailbox.created", "mailbox:" + id,
				Map.of("address", address, "kind", "shared"));
		return mailboxes.find(id).orElseThrow();
	}

	/**
	 * Turns an active regular mailbox into a shared one: its login is deleted, so the old password
	 * and recovery code stop working everywhere. Within the domain's shared-mailbox cap.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView convertToShared(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		Limits limits = lockAndLimits(actor);
		MailboxView mailbox = lockForConversion(actor, id);
		if (mailbox.shared()) {
			throw MailroomException.conflict("already_shared", "This mailbox is already shared");
		}
		requireActive(mailbox);
		requireSharedSlot(mailbox.domainId(), limits);
		mailboxes.setKind(id, "shared", null);
		if (mailbox.loginUserId() != null) {
			logins.delete(mailbox.loginUserId());
		}
		accessEnded(mailbox, "converted_to_shared");
		audit.record(actor, actor.orgId(), "mailbox.converted_to_shared", "mailbox:" + id,
				Map.of("address", mailbox.address()));
		return mailboxes.find(id).orElseThrow();
	}

	/**
	 * Turns a shared mailbox back into a regular one with a new login: the given password, or a
	 * generated one (returned once), and a new recovery code. The caller removes the members.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public CreatedMailbox convertToRegular(Actor actor, UUID id, String password) {
		actor.requireScope("mailboxes:write");
		lockAndLimits(actor);
		MailboxView mailbox = lockShared(actor, id);
		requireNotOtherMembersMailbox(actor, mailbox);
		requireActive(mailbox);
		boolean generated = password == null;
		String newPassword = generated ? LoginService.generatePassword() : password;
		if (!generated) {
			logins.requireStrong(newPassword, mailbox.address());
		}
		LoginService.NewLogin login = logins.create(mailbox.address(), mailbox.displayName(), newPassword)
			.orElseThrow(() -> taken(false, 0, mailbox.address()));
		mailboxes.setKind(id, "regular", login.userId());
		audit.record(actor, actor.orgId(), "mailbox.converted_to_regular", "mailbox:" + id,
				Map.of("address", mailbox.address(), "password", generated ? "generated" : "set by admin"));
		return new CreatedMailbox(mailboxes.find(id).orElseThrow(), generated ? newPassword : null, login.recoveryCode());
	}

	/**
	 * Locks a shared mailbox of the actor's organization for a membership change (so concurrent
	 * changes see each other); 409 {@code not_a_shared_mailbox} for a regular one.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView lockShared(Actor actor, UUID id) {
		MailboxView mailbox = visible(actor, id);
		MailboxView locked = mailboxes.lock(mailbox.id()).orElseThrow(() -> MailroomException.notFound("Mailbox"));
		if (!locked.shared()) {
			throw MailroomException.conflict("not_a_shared_mailbox", "This is not a shared mailbox");
		}
		return locked;
	}

	/**
	 * Locks a mailbox for a change of kind (regular ⇄ shared), after the organization's lock —
	 * the order every change of shared-mailbox membership takes ({@link #lockForMembershipChange}),
	 * so a racing "add it as a member" waits and then sees the mailbox as it is after the change.
	 * 403 {@code member_mailbox} for another team member's mailbox.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView lockForConversion(Actor actor, UUID id) {
		actor.requireScope("mailboxes:write");
		lockAndLimits(actor);
		MailboxView mailbox = visible(actor, id);
		requireNotOtherMembersMailbox(actor, mailbox);
		return mailboxes.lock(mailbox.id()).orElseThrow(() -> MailroomException.notFound("Mailbox"));
	}

	/**
	 * Takes the organization's lock before a change of shared-mailbox membership, so membership
	 * checks (is the candidate regular?) and conversions of the same mailboxes run one after the
	 * other: organization first, then mailbox rows, on every such path.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void lockForMembershipChange(Actor actor) {
		lockAndLimits(actor);
	}

	/**
	 * 404 unless the mailbox is one the actor's organization holds and the actor may see (403 for a
	 * team member's colleague's mailbox). No scope check: adapters call it to resolve the path
	 * before they read the body, so another organization's id is 404 whatever the body says.
	 */
	@Transactional(readOnly = true)
	public void requireVisible(Actor actor, UUID id) {
		visible(actor, id);
	}

	/**
	 * A person's mail stays theirs (DESIGN.md §1b): in an organization with team members, owners and
	 * admins may not reset the password of, share or convert a mailbox another member created.
	 * 403 {@code member_mailbox}; the creator (and the mailbox's own login) still may.
	 */
	public void requireNotOtherMembersMailbox(Actor actor, MailboxView mailbox) {
		UUID creator = mailbox.ownerUserId();
		if (actor.isOperator() || actor.userId() == null || creator == null || creator.equals(actor.userId())
				|| actor.userId().equals(mailbox.loginUserId())) {
			return;
		}
		boolean creatorInTeam = organizations.members(mailbox.organizationId())
			.stream()
			.anyMatch(m -> m.userId().equals(creator));
		if (creatorInTeam) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "member_mailbox",
					"This mailbox belongs to another member of your team: only they may reset, share or convert it");
		}
	}

	/**
	 * Locks the mailbox whose login is the signed-in person (they share their own address from
	 * their account page); 404 for any other mailbox.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView lockOwnLogin(Actor actor, UUID id) {
		if (actor.userId() == null) {
			throw MailroomException.notFound("Mailbox");
		}
		MailboxView own = ownLogins(actor.userId()).stream()
			.filter(m -> m.id().equals(id))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Mailbox"));
		tenancy.enter(own.organizationId());
		return mailboxes.lock(own.id()).orElseThrow(() -> MailroomException.notFound("Mailbox"));
	}

	/**
	 * Locks a mailbox of the actor's organization (any kind) for a change of who may open it
	 * (address grants), so concurrent changes see each other.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public MailboxView lockForSharing(Actor actor, UUID id) {
		MailboxView mailbox = visible(actor, id);
		return mailboxes.lock(mailbox.id()).orElseThrow(() -> MailroomException.notFound("Mailbox"));
	}

	/**
	 * A mailbox that may become a member of a shared mailbox: a regular, active mailbox of the
	 * actor's organization (any domain). 404 when unknown; 422 {@code invalid_member} otherwise.
	 */
	@Transactional(readOnly = true)
	public MailboxView requireMemberCandidate(Actor actor, UUID id) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		// a mailbox on a domain outside the key's limit answers like one of another organization
		MailboxView mailbox = mailboxes.find(id)
			.filter(m -> m.organizationId().equals(actor.orgId()) && actor.mayUseDomain(m.domainId()))
			.orElseThrow(() -> MailroomException.invalid("mailbox_id", "not_found", "No such mailbox in your organization"));
		if (seesOnlyOwn(actor) && !actor.userId().equals(mailbox.ownerUserId())
				&& !actor.userId().equals(mailbox.loginUserId())) {
			throw MailroomException.forbidden("This mailbox belongs to another member of your team");
		}
		if (mailbox.shared()) {
			throw MailroomException.invalid("mailbox_id", "invalid_member", "A shared mailbox cannot be a member of another");
		}
		if (!mailbox.status().equals("active")) {
			throw MailroomException.invalid("mailbox_id", "invalid_member", mailbox.address() + " is not active");
		}
		return mailbox;
	}

	/** The mailbox as it is now, after a change the actor just made (no scope check). */
	@Transactional(readOnly = true)
	public MailboxView current(Actor actor, UUID id) {
		return view(visible(actor, id).id());
	}

	/** Mailboxes of an organization by id (for member lists); unknown ids are left out. */
	@Transactional(readOnly = true)
	public Map<UUID, MailboxView> byIds(UUID orgId, java.util.Collection<UUID> ids) {
		tenancy.enter(orgId);
		Map<UUID, MailboxView> result = new java.util.HashMap<>();
		mailboxes.byIds(ids).forEach(m -> result.put(m.id(), m));
		return result;
	}

	// ---- team members' mailboxes ------------------------------------------------------------

	/**
	 * What one person's mailboxes in an organization hold (they created them); storageUsedMb is
	 * what they hold in the mail plane, null when none is connected.
	 */
	public record CreatorUsage(long active, long archived, long storageMb, Double storageUsedMb) {

		CreatorUsage plus(CreatorUsage other) {
			return new CreatorUsage(active + other.active, archived + other.archived, storageMb + other.storageMb,
					storageUsedMb == null ? null : storageUsedMb + other.storageUsedMb);
		}
	}

	/**
	 * For each user who created mailboxes in the organization: how many are active and archived,
	 * and their dedicated storage (the recycle bin not counted); with {@code withStorageUse} also
	 * what they hold in the mail plane. For per-member usage.
	 */
	@Transactional(readOnly = true)
	public Map<UUID, CreatorUsage> usageByCreator(UUID orgId, boolean withStorageUse) {
		tenancy.enter(orgId);
		List<MailboxView> held = mailboxes.heldByCreators(orgId);
		boolean connected = withStorageUse && mailPlaneConnected();
		// one doveadm round trip for the whole organization, only when asked for
		Map<UUID, MailStore.StoredMail> stored = connected ? storageUsed(held) : Map.of();
		Map<UUID, CreatorUsage> result = new HashMap<>();
		for (MailboxView mailbox : held) {
			MailStore.StoredMail mail = stored.get(mailbox.id());
			CreatorUsage one = new CreatorUsage(mailbox.status().equals("active") ? 1 : 0,
					mailbox.status().equals("archived") ? 1 : 0,
					mailbox.storageAllocationMb() == null ? 0 : mailbox.storageAllocationMb(),
					connected ? (mail == null ? 0.0 : mail.megabytes()) : null);
			result.merge(mailbox.ownerUserId(), one, CreatorUsage::plus);
		}
		return result;
	}

	/**
	 * The active and archived mailboxes {@code userId} created in the actor's organization (what a
	 * removal would delete), by address. Metadata only.
	 */
	@Transactional(readOnly = true)
	public List<MailboxView> createdBy(Actor actor, UUID userId) {
		requireOrganization(actor);
		if (seesOnlyOwn(actor) && !actor.userId().equals(userId)) {
			throw MailroomException.forbidden("These mailboxes belong to another member of your team");
		}
		tenancy.enter(actor.orgId());
		return mailboxes.createdBy(actor.orgId(), userId);
	}

	/**
	 * Deletes the mailboxes a removed team member created (see {@link #createdBy}) through the
	 * ordinary delete, then takes them out of the organization's view and recycle bin: for the
	 * organization they are gone (404), but {@link #restoreRemoved} brings them back until
	 * {@code purgeAt}, when the recycle-bin purge removes them for good. Joins the caller's
	 * transaction; the caller checked that the actor may remove the member.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public List<MailboxView> trashWithMember(Actor actor, UUID userId, UUID removalId, Instant purgeAt) {
		Actor remover = unrestricted(actor);
		List<MailboxView> taken = new ArrayList<>();
		for (MailboxView mailbox : createdBy(remover, userId)) {
			delete(remover, mailbox.id());
			mailboxes.markRemoved(mailbox.id(), removalId, mailbox.status(), purgeAt);
			audit.record(actor, actor.orgId(), "mailbox.removed_with_member", "mailbox:" + mailbox.id(),
					Map.of("address", mailbox.address(), "user_id", userId.toString(), "purge_at", purgeAt.toString()));
			taken.add(mailbox);
		}
		return taken;
	}

	/**
	 * Brings back the mailboxes a removal took, as they were (active or archived), through the
	 * ordinary restore — within the plan's limits (409 {@code plan_limit_reached}, nothing
	 * restored). Mailboxes already purged are not coming back. Joins the caller's transaction.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public List<MailboxView> restoreRemoved(Actor actor, UUID removalId) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		Actor restorer = unrestricted(actor);
		List<MailboxView> restored = new ArrayList<>();
		for (Mailboxes.Removed removed : mailboxes.lockRemoved(removalId)) {
			mailboxes.clearRemoval(removed.id());
			MailboxView mailbox = restore(restorer, removed.id());
			if ("archived".equals(removed.statusBefore())) {
				mailbox = archive(restorer, removed.id());
			}
			restored.add(mailbox);
		}
		return restored;
	}

	/**
	 * The actor without an API key's scope and domain limits, for the mailbox side of a team
	 * change that the team module already authorized (a removal covers every mailbox of the member).
	 */
	private static Actor unrestricted(Actor actor) {
		return new Actor(actor.kind(), actor.userId(), actor.email(), actor.orgId(), actor.role(), actor.apiKeyId(), null,
				null, actor.ip());
	}

	private void requireSharedSlot(UUID domainId, Limits limits) {
		if (mailboxes.countSharedOnDomain(domainId) + 1 > limits.sharedPerDomain()) {
			throw new MailroomException(HttpStatus.CONFLICT, "shared_limit_reached",
					"Your plan allows " + limits.sharedPerDomain() + " shared mailboxes per domain; upgrade your plan");
		}
	}

	private static void requireActive(MailboxView mailbox) {
		if (!mailbox.status().equals("active")) {
			throw MailroomException.conflict("mailbox_not_active", "The mailbox is " + mailbox.status());
		}
	}

	private MailboxView view(UUID id) {
		MailboxView mailbox = mailboxes.find(id).orElseThrow(() -> MailroomException.notFound("Mailbox"));
		return withMembers(mailbox.organizationId(), List.of(mailbox)).getFirst();
	}

	private List<MailboxView> withMembers(UUID orgId, List<MailboxView> rows) {
		List<UUID> shared = rows.stream().filter(MailboxView::shared).map(MailboxView::id).toList();
		SharedMailboxMembers source = members.getIfAvailable();
		if (shared.isEmpty() || source == null) {
			return rows;
		}
		Map<UUID, Long> counts = source.activeMemberCounts(orgId, shared);
		return rows.stream().map(m -> m.shared() ? m.withMembers(counts.getOrDefault(m.id(), 0L)) : m).toList();
	}

	/** Why a domain cannot be deleted because of mailboxes, or null. */
	String reasonInUse(UUID orgId, UUID domainId) {
		tenancy.enter(orgId);
		long count = mailboxes.countAnyOnDomain(domainId);
		return count == 0 ? null
				: "Delete the domain's " + count + " mailbox(es) first (the recycle bin counts until it is purged)";
	}

	private void requireCapacity(UUID orgId, UUID domainId, Limits limits, int newMailboxes, long newStorageMb) {
		long onDomain = mailboxes.countOnDomain(domainId)
				+ reservations.stream().mapToLong(r -> r.onDomain(orgId, domainId)).sum();
		if (onDomain + newMailboxes > limits.mailboxesPerDomain()) {
			throw limitReached("Your plan allows " + limits.mailboxesPerDomain() + " mailboxes per domain ("
					+ onDomain + " used, counting pending invites)");
		}
		requireActiveSlot(orgId, limits, newMailboxes);
		if (newStorageMb > 0) {
			requireStorage(orgId, limits, newStorageMb);
		}
	}

	private void requireActiveSlot(UUID orgId, Limits limits, int newMailboxes) {
		long active = mailboxes.countWithStatus(orgId, "active")
				+ reservations.stream().mapToLong(r -> r.inOrganization(orgId)).sum();
		if (active + newMailboxes > limits.activeMailboxes()) {
			throw limitReached("Your plan allows " + limits.activeMailboxes() + " active mailboxes");
		}
	}

	private void requireStorage(UUID orgId, Limits limits, long moreMb) {
		long used = mailboxes.allocatedStorageMb(orgId)
				+ reservations.stream().mapToLong(r -> r.storageMb(orgId)).sum();
		if (used + moreMb > limits.storagePoolMb()) {
			throw new MailroomException(HttpStatus.CONFLICT, "storage_pool_exceeded",
					"Not enough storage in your pool: " + (limits.storagePoolMb() - used) + " MB free, " + moreMb
							+ " MB requested");
		}
	}

	private Limits lockAndLimits(Actor actor) {
		requireOrganization(actor);
		return organizations.lockForLimitCheck(actor.orgId());
	}

	private MailboxView visible(Actor actor, UUID id) {
		requireOrganization(actor);
		tenancy.enter(actor.orgId());
		MailboxView mailbox = mailboxes.find(id)
			.filter(m -> m.organizationId().equals(actor.orgId()) && actor.mayUseDomain(m.domainId()))
			.orElseThrow(() -> MailroomException.notFound("Mailbox"));
		if (seesOnlyOwn(actor) && !actor.userId().equals(mailbox.ownerUserId())
				&& !actor.userId().equals(mailbox.loginUserId())) {
			throw MailroomException.forbidden("This mailbox belongs to another member of your team");
		}
		return mailbox;
	}

	/** Whether a mail plane is connected (doveadm), so storage use and session ends are real. */
	public boolean mailPlaneConnected() {
		return mailStore.getIfAvailable() != null;
	}

	/**
	 * The storage each mailbox uses in the mail plane, in one round trip; empty without a mail
	 * plane or when it cannot answer (the directory never depends on it).
	 */
	public Map<UUID, MailStore.StoredMail> storageUsed(List<MailboxView> shown) {
		MailStore store = mailStore.getIfAvailable();
		if (store == null || shown.isEmpty()) {
			return Map.of();
		}
		Map<String, MailStore.StoredMail> byAddress;
		try {
			byAddress = store.usage(shown.stream().map(MailboxView::address).toList());
		}
		catch (RuntimeException e) {
			log.warn("The mail plane did not report storage use: {}", e.getMessage());
			return Map.of();
		}
		Map<UUID, MailStore.StoredMail> used = new HashMap<>();
		for (MailboxView mailbox : shown) {
			MailStore.StoredMail stored = byAddress.get(mailbox.address());
			if (stored != null) {
				used.put(mailbox.id(), stored);
			}
		}
		return used;
	}

	/**
	 * Sessions on the mailbox end after commit; for a regular mailbox also its person's sessions
	 * in the shared mailboxes it is a member of (Dovecot lists those under the shared address).
	 */
	private void accessEnded(MailboxView mailbox, String reason) {
		events.publishEvent(new MailboxAccessEnded(mailbox.organizationId(), mailbox.address(), reason));
		SharedMailboxMembers sharing = members.getIfAvailable();
		if (mailbox.regular() && sharing != null) {
			List<UUID> shared = sharing.sharedMailboxesOf(mailbox.organizationId(), mailbox.id());
			for (MailboxView other : byIds(mailbox.organizationId(), shared).values()) {
				events.publishEvent(new MailboxAccessEnded(other.organizationId(), other.address(), reason + "_member"));
			}
		}
	}

	/**
	 * Wipes the mail data of purged mailboxes through the mail plane, each pending wipe once it
	 * succeeds; a failed one is tried again later (backing off), and the run stops at the first
	 * failure, since the mail plane is then likely away for the rest too. Without a mail plane
	 * nothing happens and the wipes stay pending. Safe on every instance at once. Returns how many
	 * were wiped.
	 */
	@Transactional
	public int wipePurgedMailData(int max) {
		MailStore store = mailStore.getIfAvailable();
		if (store == null) {
			return 0;
		}
		tenancy.enterOperator();
		int wiped = 0;
		for (MailWipes.PendingWipe candidate : mailWipes.due(max)) {
			tenancy.enter(candidate.organizationId());
			Optional<MailWipes.PendingWipe> locked = mailWipes.lockDue(candidate.mailboxId());
			if (locked.isEmpty()) {
				continue;
			}
			try {
				store.wipePurged(candidate.mailboxId());
			}
			catch (RuntimeException e) {
				mailWipes.failed(candidate.mailboxId(), e.getMessage());
				log.warn("The mail of purged mailbox {} is not wiped yet (attempt {}), trying again later: {}",
						candidate.mailboxId(), locked.get().attempts() + 1, e.getMessage());
				break;
			}
			mailWipes.done(candidate.mailboxId());
			audit.record(Actor.operator(null), candidate.organizationId(), "mailbox.mail_wiped",
					"mailbox:" + candidate.mailboxId(), Map.of("address", candidate.address()));
			wiped++;
		}
		return wiped;
	}

	/** How many purged mailboxes still wait for their mail data to be wiped. */
	@Transactional(readOnly = true)
	public long pendingMailWipes() {
		tenancy.enterOperator();
		return mailWipes.count();
	}

	private void setLogin(MailboxView mailbox, boolean enabled) {
		if (mailbox.loginUserId() != null) {
			logins.setEnabled(mailbox.loginUserId(), enabled);
		}
	}

	private static boolean seesOnlyOwn(Actor actor) {
		return actor.role() == OrgRole.MEMBER;
	}

	private static void requireOrganization(Actor actor) {
		if (actor.orgId() == null) {
			throw MailroomException.forbidden("Choose an organization first");
		}
	}

	private static void requireNotTrashed(MailboxView mailbox) {
		if (mailbox.status().equals("trashed")) {
			throw MailroomException.conflict("mailbox_trashed", "Restore the mailbox from the recycle bin first");
		}
	}

	private static MailroomException limitReached(String message) {
		return new MailroomException(HttpStatus.CONFLICT, "plan_limit_reached",
				"Plan limit reached — upgrade your plan or delete unused mailboxes. " + message);
	}

	private static MailroomException taken(boolean batch, int index, String address) {
		var error = new MailroomException.FieldError("local_part", "local_part_taken",
				address + " is already used by an account");
		return batch ? itemErrors(true, Map.of(index, List.of(error)))
				: new MailroomException(HttpStatus.CONFLICT, "local_part_taken", error.message(), List.of(error), Map.of());
	}

	/** One item's problems become a plain error; a batch's become {@code items: [{index, errors}]}. */
	private static MailroomException itemErrors(boolean batch, Map<Integer, List<MailroomException.FieldError>> errors) {
		if (!batch) {
			List<MailroomException.FieldError> first = errors.values().iterator().next();
			String code = first.getFirst().code();
			HttpStatus status = code.equals("local_part_taken") ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT;
			return new MailroomException(status, code, first.getFirst().message(), first, Map.of());
		}
		List<Map<String, Object>> items = errors.entrySet()
			.stream()
			.map(e -> Map.<String, Object>of("index", e.getKey(), "errors", e.getValue()))
			.toList();
		return new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed",
				errors.size() + " item(s) are invalid; nothing was created", List.of(), Map.of("items", items));
	}

	private static Map<String, Object> detailsOf(Object... pairs) {
		Map<String, Object> details = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				details.put((String) pairs[i], pairs[i + 1]);
			}
		}
		return details;
	}
}
