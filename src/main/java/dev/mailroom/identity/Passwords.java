package dev.mailroom.identity;

import java.util.Locale;
import java.util.Set;

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

	private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
	private final String dummyHash = encoder.encode("timing-equaliser-not-a-password");

	/** The hash to store, with its scheme prefix. */
	public String hash(String password) {
		return SCHEME + encoder.encode(password);
	}

	/** Checks {@code password} against a stored hash; a {@code null} hash still costs one hash. */
	public boolean matches(String password, String storedHash) {
		if (storedHash == null || !storedHash.startsWith(SCHEME) || password == null) {
			encoder.matches("x", dummyHash);
			return false;
		}
		return encoder.matches(password, storedHash.substring(SCHEME.length()));
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
