package dev.mailroom.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.EmailAddress;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users: sign-up, the operator's organization-with-owner, and credential checks. */
@Service
public class IdentityService {

	/** What sign-up created. */
	public record SignedUp(UUID userId, UUID personalOrganizationId) {
	}

	/** What the operator created: the organization and its owner (new or existing user). */
	public record OrganizationCreated(OrganizationView organization, UUID ownerUserId) {
	}

	private final Users users;
	private final Passwords passwords;
	private final OrganizationService organizations;
	private final AuditLog audit;
	private final MailroomSettings settings;
	private final RateLimits rateLimits;

	IdentityService(Users users, Passwords passwords, OrganizationService organizations, AuditLog audit,
			MailroomSettings settings, RateLimits rateLimits) {
		this.rateLimits = rateLimits;
		this.users = users;
		this.passwords = passwords;
		this.organizations = organizations;
		this.audit = audit;
		this.settings = settings;
	}

	/**
	 * Creates a user and their personal organization on the free plan. 403
	 * {@code signup_disabled} when the operator turned sign-up off; 409 {@code email_taken};
	 * 429 {@code rate_limited} after too many sign-ups from one client.
	 */
	@Transactional
	public SignedUp signUp(String email, String password, String name, String ip) {
		if (!settings.signupEnabled()) {
			throw new MailroomException(org.springframework.http.HttpStatus.FORBIDDEN, "signup_disabled",
					"Sign-up is disabled on this server; ask the operator for an account");
		}
		long wait = rateLimits.tryConsume(RateLimits.SIGN_UP_PER_CLIENT, ip == null ? "" : ip);
		if (wait > 0) {
			throw new MailroomException(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
					"Too many sign-ups from your network; please try again later", java.util.List.of(),
					Map.of("retry_after_seconds", wait));
		}
		EmailAddress address = EmailAddress.of(email);
		passwords.requireStrong(password, address.value());
		SignedUp created = createUser(address, password, name, ip);
		audit.record(new Actor(Actor.Kind.USER, created.userId(), address.value(), null, null, null, null, null, ip),
				created.personalOrganizationId(), "user.signed_up", "user:" + created.userId(),
				Map.of("email", address.value()));
		return created;
	}

	/**
	 * Operator: creates an organization on {@code plan} owned by {@code ownerEmail}. An existing
	 * user with that email becomes its owner (their password is left alone); otherwise the user
	 * is created with the given password and name.
	 */
	@Transactional
	public OrganizationCreated createOrganizationWithOwner(Actor operator, String name, String plan, String ownerEmail,
			String ownerPassword, String ownerName) {
		if (!operator.isOperator()) {
			throw MailroomException.forbidden("Only the operator creates organizations");
		}
		String orgName = requireName(name);
		EmailAddress email = EmailAddress.of(ownerEmail);
		UUID ownerId = users.findByEmail(email.value()).map(UserView::id).orElseGet(() -> {
			passwords.requireStrong(ownerPassword, email.value());
			return createUser(email, ownerPassword, ownerName == null ? email.localPart() : ownerName, operator.ip())
				.userId();
		});
		OrganizationView organization = organizations.create(operator, orgName, plan, false, ownerId);
		return new OrganizationCreated(organization, ownerId);
	}

	/** A new user with their personal organization (free plan); 409 {@code email_taken}. */
	private SignedUp createUser(EmailAddress address, String password, String name, String ip) {
		String displayName = requireName(name);
		UUID userId = UUID.randomUUID();
		if (!users.insert(userId, address.value(), displayName, passwords.hash(password))) {
			throw MailroomException.conflict("email_taken", "An account with this email already exists; sign in instead");
		}
		Actor actor = new Actor(Actor.Kind.USER, userId, address.value(), null, null, null, null, null, ip);
		OrganizationView personal = organizations.create(actor, displayName, OrganizationService.FREE_PLAN, true, userId);
		return new SignedUp(userId, personal.id());
	}

	/** The user whose email and password match, or empty; costs one hash either way. */
	@Transactional
	public Optional<UserView> authenticate(String email, String password) {
		if (!EmailAddress.isValid(email)) {
			passwords.matches(password, null);
			return Optional.empty();
		}
		Optional<Users.Credentials> credentials = users.credentials(EmailAddress.of(email).value());
		if (!passwords.matches(password, credentials.map(Users.Credentials::passwordHash).orElse(null))) {
			return Optional.empty();
		}
		Users.Credentials user = credentials.orElseThrow();
		users.signedIn(user.id());
		return users.find(user.id());
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
		if (name == null || name.isBlank()) {
			throw MailroomException.invalid("name", "required", "Enter a name");
		}
		String trimmed = name.strip();
		if (trimmed.length() > 200 || trimmed.chars().anyMatch(Character::isISOControl)) {
			throw MailroomException.invalid("name", "invalid_name", "Use at most 200 characters, without control characters");
		}
		return trimmed;
	}
}
