package dev.mailroom.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.notification.Outbox;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.EmailAddress;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.Names;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Tenancy;
import dev.mailroom.platform.SignedLinkTokens;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users: sign-up with email verification, the operator's organization-with-owner, and credential checks. */
@Service
public class IdentityService {

	/** What a used verification link created: the user and their personal organization. */
	public record Verified(UUID userId, UUID personalOrganizationId, String email) {
	}

	/**
	 * What the operator created: the organization and its owner. {@code ownerUserId} is null and
	 * {@code ownerStatus} {@code invited} when the email had an account, which must accept first.
	 */
	public record OrganizationCreated(OrganizationView organization, UUID ownerUserId, String ownerStatus) {
	}

	/** What a sign-in with the right password of a not yet verified sign-up gets: 401 {@code email_not_verified}. */
	public static final class EmailNotVerifiedException extends MailroomException {

		private static final long serialVersionUID = 1L;

		private final transient UUID verificationId;

		EmailNotVerifiedException(UUID verificationId) {
			super(HttpStatus.UNAUTHORIZED, "email_not_verified",
					"Your email address is not verified yet: open the link we emailed you, or sign up again for a new one");
			this.verificationId = verificationId;
		}

		/** The pending sign-up, to send a new link to its email. */
		public UUID verificationId() {
			return verificationId;
		}
	}

	public static final String VERIFY_TEMPLATE = "email-verification";
	public static final String ACCOUNT_EXISTS_TEMPLATE = "account-exists";
	public static final String OWNERSHIP_TEMPLATE = "ownership-invitation";
	public static final String SIGN_IN_LINK_TEMPLATE = "sign-in-link";
	static final Duration SIGN_IN_LINK_VALIDITY = Duration.ofMinutes(15);
	static final Duration VERIFICATION_VALIDITY = Duration.ofHours(24);
	static final Duration OWNERSHIP_VALIDITY = Duration.ofDays(30);

	private final Users users;
	private final Passwords passwords;
	private final OrganizationService organizations;
	private final AuditLog audit;
	private final MailroomSettings settings;
	private final RateLimits rateLimits;
	private final EmailVerifications verifications;
	private final OwnershipInvitations ownerships;
	private final AccountLinks links;
	private final Outbox outbox;
	private final Tenancy tenancy;
	private final SignInLinks signInLinks;

	IdentityService(Users users, Passwords passwords, OrganizationService organizations, AuditLog audit,
			MailroomSettings settings, RateLimits rateLimits, EmailVerifications verifications,
			OwnershipInvitations ownerships, AccountLinks links, Outbox outbox, Tenancy tenancy,
			SignInLinks signInLinks) {
		this.signInLinks = signInLinks;
		this.rateLimits = rateLimits;
		this.users = users;
		this.passwords = passwords;
		this.organizations = organizations;
		this.audit = audit;
		this.settings = settings;
		this.verifications = verifications;
		this.ownerships = ownerships;
		this.links = links;
		this.outbox = outbox;
		this.tenancy = tenancy;
	}

	/**
	 * Starts a sign-up: the same outcome whether or not the email has an account, so the answer
	 * reveals nothing. A new email gets a one-time verification link (valid 24 hours); a repeated
	 * sign-up of a pending one replaces its name and password and sends a new link (the older dies);
	 * an email with an account gets "you already have an account" and nothing changes. The password
	 * is hashed in every case, so the time taken does not tell either. Each recipient gets a few such
	 * emails per hour at most (more attempts change the pending sign-up but send nothing). 403
	 * {@code signup_disabled}; 422 for an invalid email, name or weak password; 429
	 * {@code rate_limited} after too many sign-ups from one client.
	 */
	@Transactional
	public void signUp(String email, String password, String name, String ip) {
		if (!settings.signupEnabled()) {
			throw new MailroomException(org.springframework.http.HttpStatus.FORBIDDEN, "signup_disabled",
					"Sign-up is disabled on this server; ask the operator for an account");
		}
		startSignUp(email, password, name, ip);
	}

	/**
	 * A sign-up asked for on an invitation link that was not opened from the emailed invitation
	 * (a copied link proves nothing about the inbox): the same as {@link #signUp} — the account
	 * exists only once the emailed verification link is used — even where the operator disabled
	 * open sign-up, since an organization invited this email. Joins the caller's transaction.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public void signUpFromInvitation(String email, String password, String name, String ip) {
		startSignUp(email, password, name, ip);
	}

	private void startSignUp(String email, String password, String name, String ip) {
		long wait = rateLimits.tryConsume(RateLimits.SIGN_UP_PER_CLIENT, ip == null ? "" : ip);
		if (wait > 0) {
			throw new MailroomException(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
					"Too many sign-ups from your network; please try again later", java.util.List.of(),
					Map.of("retry_after_seconds", wait));
		}
		EmailAddress address = EmailAddress.of(email);
		passwords.requireStrong(password, address.value());
		String displayName = requireName(name);
		String hash = passwords.hash(password);
		boolean mayEmail = rateLimits.tryConsume(RateLimits.SIGN_UP_EMAILS_PER_RECIPIENT, address.value()) == 0;
		if (users.findByEmail(address.value()).isPresent()) {
			if (mayEmail) {
				outbox.queue(null, ACCOUNT_EXISTS_TEMPLATE, "en", address.value(), Map.of(), null);
			}
			return;
		}
		EmailVerifications.Pending pending = verifications.upsert(address.value(), displayName, hash);
		if (mayEmail) {
			outbox.queue(null, VERIFY_TEMPLATE, "en", address.value(),
					Map.of("verification_id", pending.id().toString(), "version", pending.version()), null);
		}
	}

	/**
	 * Sends a new link to a pending sign-up (the older link dies), for a person who just gave its
	 * password at sign-in; nothing when it is no longer pending or its recipient had enough emails.
	 */
	@Transactional
	public void resendVerification(UUID verificationId) {
		verifications.find(verificationId).filter(p -> p.verifiedAt() == null).ifPresent(pending -> {
			if (rateLimits.tryConsume(RateLimits.SIGN_UP_EMAILS_PER_RECIPIENT, pending.email()) > 0) {
				return;
			}
			verifications.renew(pending.id()).ifPresent(version -> outbox.queue(null, VERIFY_TEMPLATE, "en",
					pending.email(), Map.of("verification_id", pending.id().toString(), "version", version), null));
		});
	}

	/**
	 * Uses a verification link: the account (with the password given at sign-up) and its personal
	 * organization on the free plan are created now. 404 for an unknown link; 410
	 * {@code verification_used} once used (or when the email got an account meanwhile), 410
	 * {@code verification_expired} after 24 hours or when a newer link was sent.
	 */
	@Transactional
	public Verified verifyEmail(String token, String ip) {
		SignedLinkTokens.Parsed parsed = links.parse(token)
			.filter(p -> p.scope().equals(AccountLinks.NO_SCOPE))
			.orElseThrow(() -> MailroomException.notFound("Verification link"));
		EmailVerifications.Pending pending = verifications.lock(parsed.id())
			.orElseThrow(() -> MailroomException.notFound("Verification link"));
		if (pending.verifiedAt() != null) {
			throw gone("verification_used", "This link was used already; sign in");
		}
		if (!links.matches(AccountLinks.Purpose.VERIFY_EMAIL, parsed, pending.version())) {
			if (java.util.stream.IntStream.range(1, pending.version())
				.anyMatch(v -> links.matches(AccountLinks.Purpose.VERIFY_EMAIL, parsed, v))) {
				throw gone("verification_expired", "A newer link was sent; use the latest email");
			}
			throw MailroomException.notFound("Verification link");
		}
		if (pending.sentAt().plus(VERIFICATION_VALIDITY).isBefore(java.time.Instant.now())) {
			throw gone("verification_expired", "This link expired (links work for 24 hours); sign up again for a new one");
		}
		UUID userId = UUID.randomUUID();
		if (!users.insert(userId, pending.email(), pending.name(), pending.passwordHash())) {
			verifications.drop(pending.email());
			throw gone("verification_used", "This email has an account already; sign in");
		}
		verifications.verified(pending.id());
		Actor actor = new Actor(Actor.Kind.USER, userId, pending.email(), null, null, null, null, null, ip);
		OrganizationView personal = organizations.create(actor, pending.name(), OrganizationService.FREE_PLAN, true,
				userId);
		audit.record(actor, personal.id(), "user.signed_up", "user:" + userId,
				Map.of("email", pending.email(), "email_verified", true));
		return new Verified(userId, personal.id(), pending.email());
	}

	/**
	 * An account made from an invitation link opened from the email sent to {@code email} (the
	 * caller checked the link's proof of the inbox), so it is verified at once and replaces a
	 * pending sign-up of that email. Joins the
	 * caller's transaction. 409 {@code email_taken} when the email has an account (sign in
	 * instead); 422 for an invalid email, name or weak password.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public UUID createInvitedAccount(String email, String password, String name, String ip) {
		EmailAddress address = EmailAddress.of(email);
		passwords.requireStrong(password, address.value());
		return createUser(address, passwords.hash(password), name, ip).userId();
	}

	/**
	 * Operator: creates an organization on {@code plan} for {@code ownerEmail}. An email without an
	 * account (or with only a pending sign-up, which is replaced) becomes a verified account with
	 * the given password and the owner ({@code created}). An email with an account does not become
	 * owner now: it is emailed an ownership invitation (valid 30 days) and owns the organization
	 * once it accepts ({@code invited}; the given password is not used).
	 */
	@Transactional
	public OrganizationCreated createOrganizationWithOwner(Actor operator, String name, String plan, String ownerEmail,
			String ownerPassword, String ownerName) {
		if (!operator.isOperator()) {
			throw MailroomException.forbidden("Only the operator creates organizations");
		}
		String orgName = requireName(name);
		EmailAddress email = EmailAddress.of(ownerEmail);
		Optional<UserView> existing = users.findByEmail(email.value());
		if (existing.isPresent()) {
			OrganizationView organization = organizations.create(operator, orgName, plan, false, null);
			OwnershipInvitations.Invitation invitation = ownerships.insert(organization.id(), existing.get().id(),
					email.value(), java.time.Instant.now().plus(OWNERSHIP_VALIDITY));
			outbox.queue(organization.id(), OWNERSHIP_TEMPLATE, "en", email.value(),
					Map.of("invitation_id", invitation.id().toString(), "version", invitation.version()),
					"ownership:" + invitation.id());
			audit.record(operator, organization.id(), "organization.owner_invited", "user:" + existing.get().id(),
					Map.of("email", email.value(), "invitation_id", invitation.id().toString()));
			return new OrganizationCreated(organization, null, "invited");
		}
		passwords.requireStrong(ownerPassword, email.value());
		UUID ownerId = createUser(email, passwords.hash(ownerPassword),
				ownerName == null || ownerName.isBlank() ? email.localPart() : ownerName, operator.ip()).userId();
		OrganizationView organization = organizations.create(operator, orgName, plan, false, ownerId);
		audit.record(operator, organization.id(), "organization.owner_created", "user:" + ownerId,
				Map.of("email", email.value()));
		return new OrganizationCreated(organization, ownerId, "created");
	}

	/** What an ownership link offers: the organization and the account it is for. */
	public record OwnershipOffer(UUID organizationId, String organizationName, String plan, String email) {
	}

	/**
	 * What an ownership link is for; changes nothing (mail scanners open links). 404 unknown;
	 * 410 {@code invite_used} / {@code invite_expired}.
	 */
	@Transactional(readOnly = true)
	public OwnershipOffer ownershipOffer(String token) {
		OwnershipInvitations.Invitation invitation = usableOwnership(token, false);
		OrganizationView organization = organizations.find(invitation.orgId()).orElseThrow();
		return new OwnershipOffer(organization.id(), organization.name(), organization.plan(), invitation.email());
	}

	/**
	 * The invited account accepts the ownership link and becomes the organization's owner. Only
	 * that account may (403 {@code invite_email_mismatch}); 404 unknown, 410 {@code invite_used} /
	 * {@code invite_expired}. The team rule against a second paid plan does not apply: the operator
	 * chose this owner and plan, and one person may own several organizations (an agency).
	 */
	@Transactional
	public UUID acceptOwnership(String token, Actor signedIn) {
		if (signedIn == null || signedIn.userId() == null) {
			throw new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized", "Sign in to accept the ownership");
		}
		OwnershipInvitations.Invitation invitation = usableOwnership(token, true);
		if (!invitation.userId().equals(signedIn.userId())) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "invite_email_mismatch",
					"This invitation is for " + invitation.email() + "; sign in with that account");
		}
		organizations.lockForLimitCheck(invitation.orgId());
		if (!organizations.addMember(invitation.orgId(), signedIn.userId(), OrgRole.OWNER)) {
			throw MailroomException.conflict("already_member", "You belong to this organization already");
		}
		ownerships.accepted(invitation.id());
		audit.record(signedIn.inOrganization(invitation.orgId(), OrgRole.OWNER), invitation.orgId(),
				"organization.owner_accepted", "user:" + signedIn.userId(), Map.of("invitation_id",
						invitation.id().toString()));
		return invitation.orgId();
	}

	private OwnershipInvitations.Invitation usableOwnership(String token, boolean lock) {
		SignedLinkTokens.Parsed parsed = links.parse(token)
			.filter(p -> !p.scope().equals(AccountLinks.NO_SCOPE))
			.orElseThrow(() -> MailroomException.notFound("Invitation"));
		tenancy.enter(parsed.scope());
		OwnershipInvitations.Invitation invitation = (lock ? ownerships.lock(parsed.id()) : ownerships.find(parsed.id()))
			.filter(i -> links.matches(AccountLinks.Purpose.OWNERSHIP, parsed, i.version()))
			.orElseThrow(() -> MailroomException.notFound("Invitation"));
		if (invitation.acceptedAt() != null) {
			throw gone("invite_used", "This invitation was accepted already");
		}
		if (invitation.expiresAt().isBefore(java.time.Instant.now())) {
			throw gone("invite_expired", "This invitation expired; ask your provider for a new one");
		}
		return invitation;
	}

	/** The link of an ownership invitation (for its email), if it is still pending at {@code version}. */
	Optional<String> ownershipLink(UUID orgId, UUID invitationId, int version) {
		tenancy.enter(orgId);
		return ownerships.find(invitationId)
			.filter(i -> i.version() == version && i.acceptedAt() == null)
			.map(i -> links.link(AccountLinks.Purpose.OWNERSHIP, orgId, i.id(), i.version()));
	}

	/** The link of a pending sign-up (for its email), if it is still pending at {@code version}. */
	Optional<String> verificationLink(UUID verificationId, int version) {
		return verifications.find(verificationId)
			.filter(p -> p.verifiedAt() == null && p.version() == version)
			.map(p -> links.link(AccountLinks.Purpose.VERIFY_EMAIL, AccountLinks.NO_SCOPE, p.id(), p.version()));
	}

	private static MailroomException gone(String code, String message) {
		return new MailroomException(HttpStatus.GONE, code, message);
	}

	/**
	 * A new verified user with their personal organization (free plan); a pending sign-up of the
	 * email is replaced (whoever makes a real account wins). 409 {@code email_taken}.
	 */
	private SignedUp createUser(EmailAddress address, String passwordHash, String name, String ip) {
		String displayName = requireName(name);
		UUID userId = UUID.randomUUID();
		if (!users.insert(userId, address.value(), displayName, passwordHash)) {
			throw MailroomException.conflict("email_taken", "An account with this email already exists; sign in instead");
		}
		verifications.drop(address.value());
		Actor actor = new Actor(Actor.Kind.USER, userId, address.value(), null, null, null, null, null, ip);
		OrganizationView personal = organizations.create(actor, displayName, OrganizationService.FREE_PLAN, true, userId);
		return new SignedUp(userId, personal.id());
	}

	private record SignedUp(UUID userId, UUID personalOrganizationId) {
	}

	/**
	 * The user whose email and password match, or empty; costs one hash either way. The right
	 * password of a sign-up not yet verified throws {@link EmailNotVerifiedException} (401).
	 * Records the sign-in.
	 */
	@Transactional
	public Optional<UserView> authenticate(String email, String password) {
		Optional<UserView> user = matching(email, password);
		user.ifPresent(u -> users.signedIn(u.id()));
		return user;
	}

	/**
	 * Like {@link #authenticate} without signing in: the user whose email and password match, or
	 * empty (a pending sign-up's password too); costs one hash either way.
	 */
	@Transactional(readOnly = true)
	public Optional<UserView> checkPassword(String email, String password) {
		try {
			return matching(email, password);
		}
		catch (EmailNotVerifiedException e) {
			return Optional.empty();
		}
	}

	private Optional<UserView> matching(String email, String password) {
		if (!EmailAddress.isValid(email)) {
			passwords.matches(password, null);
			return Optional.empty();
		}
		String address = EmailAddress.of(email).value();
		Optional<Users.Credentials> credentials = users.credentials(address);
		if (credentials.isEmpty()) {
			// still one hash: against the pending sign-up's, which says so only to its own password
			Optional<EmailVerifications.Pending> pending = users.exists(address) ? Optional.empty()
					: verifications.pending(address);
			if (passwords.matches(password, pending.map(EmailVerifications.Pending::passwordHash).orElse(null))) {
				throw new EmailNotVerifiedException(pending.get().id());
			}
			return Optional.empty();
		}
		if (!passwords.matches(password, credentials.get().passwordHash())) {
			return Optional.empty();
		}
		return users.find(credentials.get().id());
	}

	/**
	 * Emails the user a one-time sign-in link (valid 15 minutes, works once), for the right
	 * password given from a client the account does not know while sign-in is paused. At most a
	 * few per account an hour; beyond that nothing is sent.
	 */
	@Transactional
	public void sendSignInLink(UUID userId) {
		UserView user = users.find(userId).orElseThrow(() -> MailroomException.notFound("User"));
		if (rateLimits.tryConsume(RateLimits.SIGN_IN_LINKS_PER_ACCOUNT, userId.toString()) > 0) {
			return;
		}
		UUID linkId = signInLinks.create(userId);
		outbox.queue(null, SIGN_IN_LINK_TEMPLATE, "en", user.email(), Map.of("link_id", linkId.toString()), null);
	}

	/**
	 * Uses an emailed sign-in link and returns whom it signs in (the caller starts the session).
	 * 404 for an unknown link; 410 {@code sign_in_link_used} once used, 410
	 * {@code sign_in_link_expired} after 15 minutes.
	 */
	@Transactional
	public UUID useSignInLink(String token) {
		SignedLinkTokens.Parsed parsed = links.parse(token)
			.filter(p -> p.scope().equals(AccountLinks.NO_SCOPE))
			.filter(p -> links.matches(AccountLinks.Purpose.SIGN_IN, p, 1))
			.orElseThrow(() -> MailroomException.notFound("Sign-in link"));
		SignInLinks.Link link = signInLinks.lock(parsed.id()).orElseThrow(() -> MailroomException.notFound("Sign-in link"));
		if (link.usedAt() != null) {
			throw gone("sign_in_link_used", "This link was used already; sign in again for a new one");
		}
		if (expired(link)) {
			throw gone("sign_in_link_expired", "This link expired (links work for 15 minutes); sign in again for a new one");
		}
		signInLinks.used(link.id());
		users.signedIn(link.userId());
		return link.userId();
	}

	/** The link of a sign-in link row (for its email), if it is still unused and valid. */
	Optional<String> signInLink(UUID linkId) {
		return signInLinks.find(linkId)
			.filter(l -> l.usedAt() == null && !expired(l))
			.map(l -> links.link(AccountLinks.Purpose.SIGN_IN, AccountLinks.NO_SCOPE, l.id(), 1));
	}

	/** A sign-in link works for {@link #SIGN_IN_LINK_VALIDITY} after it was sent. */
	private static boolean expired(SignInLinks.Link link) {
		return link.createdAt().plus(SIGN_IN_LINK_VALIDITY).isBefore(java.time.Instant.now());
	}

	/**
	 * The organization a user works in by default (web sign-in, a new API key without
	 * {@code organization_id}): their only shared organization if they have exactly one, else
	 * their personal one. Empty for a mailbox's own login, which belongs to none.
	 */
	@Transactional(readOnly = true)
	public Optional<MembershipView> defaultMembership(UUID userId) {
		List<MembershipView> memberships = organizations.membershipsOf(userId);
		List<MembershipView> shared = memberships.stream().filter(m -> !m.personal()).toList();
		if (shared.size() == 1) {
			return Optional.of(shared.getFirst());
		}
		return memberships.stream().filter(MembershipView::personal).findFirst()
			.or(() -> memberships.stream().findFirst());
	}

	/** Every organization the user belongs to, personal first. */
	@Transactional(readOnly = true)
	public List<MembershipView> memberships(UUID userId) {
		return organizations.membershipsOf(userId);
	}

	@Transactional(readOnly = true)
	public Optional<UserView> user(UUID id) {
		return users.find(id);
	}

	/** The users with these ids (unknown ids are left out), by id. */
	@Transactional(readOnly = true)
	public Map<UUID, UserView> users(java.util.Collection<UUID> ids) {
		Map<UUID, UserView> result = new java.util.HashMap<>();
		users.findAll(ids).forEach(u -> result.put(u.id(), u));
		return result;
	}

	/** When each of these users last signed in (web or HTTP Basic); users who never did are absent. */
	@Transactional(readOnly = true)
	public Map<UUID, java.time.Instant> lastSignIns(java.util.Collection<UUID> ids) {
		return users.lastSignIns(ids);
	}

	/**
	 * Signs the user out of every browser at once, in the caller's transaction (a removed team
	 * member's access ends now, not when a session times out). Returns how many sessions ended.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public int endWebSessions(UUID userId) {
		return users.endSessions(userId);
	}

	private static String requireName(String name) {
		return Names.require("name", name, 200);
	}
}
