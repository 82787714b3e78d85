package dev.mailroom.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.EmailAddress;
import dev.mailroom.platform.MailroomException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The logins of regular mailboxes (DESIGN.md §1b): a user whose sign-in name is the mailbox
 * address and whose hash Dovecot checks, with a recovery code for self-service reset.
 * Methods that change a login join the caller's transaction, so a mailbox and its login
 * commit together.
 */
@Service
public class LoginService {

	/** A new login and its recovery code (the only time the code exists in clear). */
	public record NewLogin(UUID userId, String recoveryCode) {
	}

	private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoginService.class);

	private final JdbcClient jdbc;
	private final Passwords passwords;
	private final RecoveryCodes recoveryCodes;
	private final RateLimits rateLimits;
	private final ApplicationEventPublisher events;

	LoginService(JdbcClient jdbc, Passwords passwords, RecoveryCodes recoveryCodes, RateLimits rateLimits,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.passwords = passwords;
		this.recoveryCodes = recoveryCodes;
		this.rateLimits = rateLimits;
		this.events = events;
	}

	/** A strong random password (20 characters, about 115 bits), for "generate one for me". */
	public static String generatePassword() {
		StringBuilder password = new StringBuilder(20);
		for (int i = 0; i < 20; i++) {
			password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
		}
		return password.toString();
	}

	/** 422 {@code weak_password} unless the password is acceptable for {@code address}. */
	public void requireStrong(String password, String address) {
		passwords.requireStrong(password, address);
	}

	/** A password already hashed for storage; opaque outside this module. */
	public static final class HashedPassword {

		private final String value;

		private HashedPassword(String value) {
			this.value = value;
		}
	}

	/**
	 * Hashes passwords on every core at once. Hashing is the dominant cost of creating logins, so
	 * callers do it before taking locks.
	 */
	public java.util.List<HashedPassword> hashAll(java.util.List<String> plain) {
		return plain.parallelStream().map(p -> new HashedPassword(passwords.hash(p))).toList();
	}

	/**
	 * Creates the login of a mailbox; empty when a user already signs in with that address.
	 * The password must already be checked with {@link #requireStrong}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<NewLogin> create(String address, String displayName, String password) {
		return create(address, displayName, new HashedPassword(passwords.hash(password)));
	}

	/** As {@link #create(String, String, String)}, with a password hashed by {@link #hashAll}. */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<NewLogin> create(String address, String displayName, HashedPassword password) {
		releaseAddress(address);
		UUID id = UUID.randomUUID();
		String code = recoveryCodes.generate();
		int inserted = jdbc.sql("""
				insert into mailroom.users (id, email, name, password_hash, mailbox_login, recovery_code_hash)
				values (:id, :email, :name, :hash, true, :code)
				on conflict (email) do nothing
				""")
			.param("id", id)
			.param("email", address)
			.param("name", displayName == null || displayName.isBlank() ? address : displayName)
			.param("hash", password.value)
			.param("code", recoveryCodes.hash(code))
			.update();
		if (inserted == 1) {
			// the mailbox wins its address: a pending sign-up of it is gone (its link with it)
			jdbc.sql("delete from mailroom.email_verifications where email = :email and verified_at is null")
				.param("email", address)
				.update();
		}
		return inserted == 1 ? Optional.of(new NewLogin(id, code)) : Optional.empty();
	}

	/**
	 * The domain's owner wins its addresses: a person's account (not a mailbox login) whose email
	 * is this address, on a domain whose organization now creates the mailbox, gives the address
	 * up. Whoever controls a domain's mail controls its addresses' verification emails anyway, and
	 * an account must not squat an address of someone else's domain. The account keeps its id,
	 * memberships and grants (for the operator to hand over), but its email becomes a placeholder
	 * that cannot receive mail, it can no longer sign in, its web sessions end and its API keys stop
	 * working (API key authentication requires an enabled login). Callers create mailboxes on
	 * their organization's active domains only; a shared mailbox (no login) calls this itself.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void releaseAddress(String address) {
		jdbc.sql("select id from mailroom.users where email = :email and not mailbox_login for update")
			.param("email", address)
			.query(UUID.class)
			.optional()
			.ifPresent(account -> {
				jdbc.sql("""
						update mailroom.users set email = 'released-' || id || '@address-released.invalid',
						  login_enabled = false
						where id = :id
						""").param("id", account).update();
				endSessions(account);
				LOG.info("Account {} gave up its email address to a mailbox of the address's domain", account);
			});
	}

	/** Archived and trashed mailboxes cannot sign in anywhere; disabling also ends their web sessions. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void setEnabled(UUID userId, boolean enabled) {
		jdbc.sql("update mailroom.users set login_enabled = :enabled where id = :id and mailbox_login")
			.param("enabled", enabled)
			.param("id", userId)
			.update();
		if (!enabled) {
			endSessions(userId);
		}
	}

	/** Ends every web session of the user (sessions are indexed by the user id). */
	private void endSessions(UUID userId) {
		jdbc.sql("delete from mailroom.spring_session where principal_name = :id").param("id", userId.toString()).update();
	}

	/**
	 * After a password change: every other web session of the user ends ({@code keepSessionId},
	 * the session that made the change, may stay), and the modules holding mail sessions hear of it.
	 */
	private void passwordChanged(UUID userId, String keepSessionId, String reason) {
		jdbc.sql("delete from mailroom.spring_session where principal_name = :id and session_id is distinct from :keep")
			.param("id", userId.toString())
			.param("keep", keepSessionId)
			.update();
		events.publishEvent(new LoginPasswordChanged(userId, reason));
	}

	/**
	 * Admin reset: sets a new password; every web session of the user ends, and their mail
	 * sessions after commit ({@link LoginPasswordChanged}).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void setPassword(UUID userId, String password) {
		jdbc.sql("update mailroom.users set password_hash = :hash where id = :id")
			.param("hash", passwords.hash(password))
			.param("id", userId)
			.update();
		passwordChanged(userId, null, "password_reset");
	}

	/** Issues a new recovery code; the previous one stops working. */
	@Transactional(propagation = Propagation.MANDATORY)
	public String newRecoveryCode(UUID userId) {
		String code = recoveryCodes.generate();
		jdbc.sql("update mailroom.users set recovery_code_hash = :code where id = :id")
			.param("code", recoveryCodes.hash(code))
			.param("id", userId)
			.update();
		return code;
	}

	/**
	 * The signed-in person changes their own password, proving the current one first:
	 * 422 {@code wrong_password} / {@code weak_password}. Their other web sessions end (not
	 * {@code currentSessionId}, which may be {@code null}), and their mail sessions after commit.
	 */
	@Transactional
	public void changeOwnPassword(Actor actor, String currentPassword, String newPassword, String currentSessionId) {
		String email = requireCurrentPassword(actor, currentPassword);
		passwords.requireStrong(newPassword, email);
		jdbc.sql("update mailroom.users set password_hash = :hash where id = :id")
			.param("hash", passwords.hash(newPassword))
			.param("id", actor.userId())
			.update();
		passwordChanged(actor.userId(), currentSessionId, "password_changed");
	}

	/** The signed-in person replaces their recovery code (the old one dies); returns the new one. */
	@Transactional
	public String replaceOwnRecoveryCode(Actor actor, String currentPassword) {
		requireCurrentPassword(actor, currentPassword);
		return newRecoveryCode(actor.userId());
	}

	private String requireCurrentPassword(Actor actor, String currentPassword) {
		if (actor.userId() == null) {
			throw MailroomException.forbidden("Sign in first");
		}
		record Current(String email, String hash) {
		}
		Current current = jdbc.sql("select email, password_hash from mailroom.users where id = :id and login_enabled")
			.param("id", actor.userId())
			.query((rs, n) -> new Current(rs.getString(1), rs.getString(2)))
			.optional()
			.orElseThrow(() -> MailroomException.forbidden("This account cannot sign in"));
		if (!passwords.matches(currentPassword, current.hash())) {
			throw MailroomException.invalid("current_password", "wrong_password", "Your current password is not right");
		}
		return current.email();
	}

	/**
	 * Whether {@code password} is the current password of the mailbox login {@code loginUserId}
	 * (proof that the person agrees to share their address). Wrong answers are limited per
	 * address and per client, like sign-in; once over the limit every answer, right or wrong, is
	 * 429 {@code too_many_attempts}, so the check is no password oracle. Costs one hash either way.
	 */
	@Transactional(readOnly = true)
	public boolean provesPassword(UUID loginUserId, String password, String clientIp) {
		String client = clientIp == null ? "" : clientIp;
		String address = "login:" + loginUserId;
		long wait = Math.max(rateLimits.waitFor(RateLimits.MAILBOX_PASSWORD_PER_CLIENT, client),
				rateLimits.waitFor(RateLimits.MAILBOX_PASSWORD_PER_ADDRESS, address));
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many wrong mailbox passwords; try again later", java.util.List.of(),
					Map.of("retry_after_seconds", wait));
		}
		String hash = jdbc.sql("select password_hash from mailroom.users where id = :id and mailbox_login and login_enabled")
			.param("id", loginUserId)
			.query(String.class)
			.optional()
			.orElse(null);
		boolean matches = passwords.matches(password == null ? "" : password, hash);
		if (!matches) {
			rateLimits.tryConsume(RateLimits.MAILBOX_PASSWORD_PER_CLIENT, client);
			rateLimits.tryConsume(RateLimits.MAILBOX_PASSWORD_PER_ADDRESS, address);
		}
		return matches;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void delete(UUID userId) {
		endSessions(userId);
		jdbc.sql("delete from mailroom.users where id = :id and mailbox_login").param("id", userId).update();
	}

	/**
	 * Self-service reset: with the right recovery code for an enabled mailbox login, sets the
	 * new password and returns a new code (the used one is dead). Any failure — unknown address,
	 * wrong code, disabled mailbox, weak password — is one generic 400 {@code recovery_failed};
	 * the work done is the same either way (one password hash, one keyed hash). Rate limited per
	 * address and per client: 429 {@code too_many_attempts}. A code works once, even for two
	 * resets at the same instant. Every web session of the login ends, and its mail sessions after
	 * commit.
	 */
	@Transactional
	public String resetWithRecoveryCode(String address, String code, String newPassword, String clientIp) {
		String email = EmailAddress.isValid(address) ? EmailAddress.of(address).value() : "invalid";
		long wait = Math.max(rateLimits.tryConsume(RateLimits.RECOVERY_PER_CLIENT, clientIp == null ? "" : clientIp),
				rateLimits.tryConsume(RateLimits.RECOVERY_PER_ADDRESS, email));
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many recovery attempts; try again later", java.util.List.of(), Map.of("retry_after_seconds", wait));
		}
		String weakness = Passwords.weakness(newPassword, email);
		String candidate = newPassword == null ? "" : newPassword;
		String newHash = passwords.hash(candidate.length() > Passwords.MAX_LENGTH ? candidate.substring(0, Passwords.MAX_LENGTH) : candidate);
		byte[] presented = recoveryCodes.hash(code);
		record Login(UUID id, byte[] codeHash) {
		}
		Optional<Login> login = jdbc.sql("""
				select id, recovery_code_hash from mailroom.users
				where email = :email and mailbox_login and login_enabled and recovery_code_hash is not null
				""")
			.param("email", email)
			.query((rs, n) -> new Login(rs.getObject(1, UUID.class), rs.getBytes(2)))
			.optional();
		boolean codeMatches = MessageDigest.isEqual(presented, login.map(Login::codeHash).orElse(new byte[32]));
		if (login.isEmpty() || !codeMatches || weakness != null) {
			throw recoveryFailed();
		}
		String next = recoveryCodes.generate();
		// compare-and-set on the code: of two resets racing with one code, the second finds the
		// row changed (PostgreSQL re-checks the condition after the first commits) and fails
		int updated = jdbc.sql("""
				update mailroom.users set password_hash = :hash, recovery_code_hash = :code
				where id = :id and recovery_code_hash = :presented and login_enabled
				""")
			.param("hash", newHash)
			.param("code", recoveryCodes.hash(next))
			.param("id", login.get().id())
			.param("presented", presented)
			.update();
		if (updated != 1) {
			throw recoveryFailed();
		}
		passwordChanged(login.get().id(), null, "recovery_reset");
		return next;
	}

	private static MailroomException recoveryFailed() {
		return new MailroomException(HttpStatus.BAD_REQUEST, "recovery_failed",
				"The address, recovery code or new password is not valid. Passwords need at least "
						+ Passwords.MIN_LENGTH + " characters and must not be common or contain the address.");
	}
}
