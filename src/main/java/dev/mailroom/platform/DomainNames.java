package dev.mailroom.platform;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Domain name rules shared by email addresses and the domains module: lower-case, IDN labels
 * converted to punycode (ASCII), at least two labels, each 1–63 of letters, digits and
 * inner hyphens, the whole at most 253 characters, a top-level label that is not all digits.
 */
public final class DomainNames {

	private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private DomainNames() {
	}

	/** The normalised ASCII form, or 422 {@code invalid_domain}. */
	public static String normalise(String text) {
		if (text == null || text.isBlank() || text.length() > 253) {
			throw invalid();
		}
		String trimmed = text.strip();
		if (trimmed.endsWith(".")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		String ascii;
		try {
			ascii = IDN.toASCII(trimmed, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException e) {
			throw invalid();
		}
		if (ascii.isEmpty() || ascii.length() > 253) {
			throw invalid();
		}
		String[] labels = ascii.split("\\.", -1);
		if (labels.length < 2) {
			throw invalid();
		}
		for (String label : labels) {
			if (!LABEL.matcher(label).matches()) {
				throw invalid();
			}
		}
		if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
			throw invalid();
		}
		return ascii;
	}

	private static MailroomException invalid() {
		return MailroomException.invalid("name", "invalid_domain",
				"Enter a domain name like example.com (international names are accepted)");
	}
}
