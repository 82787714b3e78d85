package dev.mailroom.identity;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.mailroom.platform.MailroomException;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing and strength rules. Hashes are Argon2id at the OWASP minimum (19 MiB, t=2,
 * p=1), stored with Dovecot's {@code {ARGON2ID}} scheme prefix so the mail plane verifies the
 * very same hash (MAILPLANE.md).
 */
@Component
public class Passwords {

	static final String SCHEME = "{ARGON2ID}";
	public static final int MIN_LENGTH = 10;
	public static final int MAX_LENGTH = 128;
	private static final Set<String> COMMON = Set.of("password", "password1", "password12", "password123",
			"1234567890", "12345678910", "qwertyuiop", "iloveyou12", "letmein123", "welcome123", "changeme12",
			"administrator", "passw0rd12", "qwerty1234", "1q2w3e4r5t", "abcdefghij", "0123456789");

	/** How long a hash waits for a free slot before the caller is told to come back. */
	static final Duration MAX_WAIT = Duration.ofSeconds(10);
	static final long RETRY_AFTER_SECONDS = 5;

	private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
	private final String dummyHash = encoder.encode("timing-equaliser-not-a-password");
	/**
	 * Each hash holds 19 MiB and a core for its whole run: at most one per core runs at once, so a
	 * flood of sign-ins queues (then is refused) instead of exhausting memory.
	 */
	private final Semaphore slots;
	private final Duration maxWait;

	Passwords() {
		this(Math.max(1, Runtime.getRuntime().availableProcessors()), MAX_WAIT);
	}

	Passwords(int slots, Duration maxWait) {
		this.slots = new Semaphore(slots, true);
		this.maxWait = maxWait;
	}

	/** The hash to store, with its scheme prefix; 503 {@code server_busy} when no slot frees in time. */
	public String hash(String password) {
		return SCHEME + bounded(() -> encoder.encode(password));
	}

	/**
	 * Checks {@code password} against a stored hash; a {@code null} hash still costs one hash.
	 * 503 {@code server_busy} when no slot frees in time.
	 */
	public boolean matches(String password, String storedHash) {
		if (storedHash == null || !storedHash.startsWith(SCHEME) || password == null) {
			bounded(() -> encoder.matches("x", dummyHash));
			return false;
		}
		return bounded(() -> encoder.matches(password, storedHash.substring(SCHEME.length())));
	}

	/** Runs {@code work} in one of the hashing slots. */
	<T> T bounded(Supplier<T> work) {
		boolean acquired;
		try {
			acquired = slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			acquired = false;
		}
		if (!acquired) {
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "server_busy",
					"The server is busy; please try again in a few seconds", java.util.List.of(),
					java.util.Map.of("retry_after_seconds", RETRY_AFTER_SECONDS));
		}
		try {
			return work.get();
		}
		finally {
			slots.release();
		}
	}

	/**
	 * Refuses weak passwords with 422 {@code weak_password}: 10–128 characters, not a common
	 * password, not the email address or its local part, at least 4 different characters.
	 */
	public void requireStrong(String password, String email) {
		String reason = weakness(password, email);
		if (reason != null) {
			throw new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "weak_password", reason,
					java.util.List.of(new MailroomException.FieldError("password", "weak_password", reason)),
					java.util.Map.of());
		}
	}

	/** Why the password is weak, or {@code null} when it is acceptable. */
	public static String weakness(String password, String email) {
		if (password == null || password.length() < MIN_LENGTH) {
			return "Use at least " + MIN_LENGTH + " characters";
		}
		if (password.length() > MAX_LENGTH) {
			return "Use at most " + MAX_LENGTH + " characters";
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (COMMON.contains(lower)) {
			return "This password is too common";
		}
		if (email != null) {
			String address = email.toLowerCase(Locale.ROOT);
			String local = address.contains("@") ? address.substring(0, address.indexOf('@')) : address;
			if (lower.equals(address) || (local.length() >= 4 && lower.contains(local))) {
				return "Do not use your email address in the password";
			}
		}
		if (password.chars().distinct().count() < 4) {
			return "Use more different characters";
		}
		return null;
	}
}
