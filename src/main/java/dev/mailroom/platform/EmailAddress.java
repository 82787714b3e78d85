package dev.mailroom.platform;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address as people type it, normalised: trimmed, lower-cased, domain in punycode.
 * The local part allows the dot-atom characters of RFC 5322 (no quoted strings, no comments).
 */
public record EmailAddress(String value) {

	private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

	public EmailAddress {
		value = normalise(value);
	}

	public static EmailAddress of(String text) {
		return new EmailAddress(text);
	}

	/** Whether {@code text} is a valid address (without throwing). */
	public static boolean isValid(String text) {
		try {
			normalise(text);
			return true;
		}
		catch (MailroomException e) {
			return false;
		}
	}

	public String localPart() {
		return value.substring(0, value.lastIndexOf('@'));
	}

	public String domain() {
		return value.substring(value.lastIndexOf('@') + 1);
	}

	private static String normalise(String text) {
		if (text == null) {
			throw invalid();
		}
		String trimmed = text.strip();
		int at = trimmed.lastIndexOf('@');
		if (trimmed.length() > 254 || at < 1 || at == trimmed.length() - 1) {
			throw invalid();
		}
		String local = trimmed.substring(0, at).toLowerCase(Locale.ROOT);
		if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
			throw invalid();
		}
		String domain;
		try {
			domain = DomainNames.normalise(trimmed.substring(at + 1));
		}
		catch (MailroomException e) {
			throw invalid();
		}
		// checked again after punycode, which can make an address that was short enough as typed too long
		if (local.length() + 1 + domain.length() > 254) {
			throw invalid();
		}
		return local + "@" + domain;
	}

	private static MailroomException invalid() {
		return MailroomException.invalid("email", "invalid_email", "Enter a valid email address, like name@example.com");
	}

	@Override
	public String toString() {
		return value;
	}
}
