package dev.mailroom.mailbox;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mailroom.platform.MailroomException;

/**
 * The part of an address before the {@code @}: lower-cased; letters a–z, digits and
 * {@code . - _ +}; starts and ends with a letter or digit; no two dots in a row; 1–64
 * characters. Role names that mail systems rely on (postmaster, abuse, …) are reserved.
 */
public record LocalPart(String value) {

	private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9._+-]{0,62}[a-z0-9])?");

	/** Reserved unless the operator allows them (RFC 2142 role accounts and their kin). */
	public static final Set<String> RESERVED = Set.of("postmaster", "abuse", "hostmaster", "webmaster", "security",
			"noc", "mailer-daemon", "root", "admin", "administrator", "no-reply", "noreply");

	public LocalPart {
		if (value == null) {
			throw invalid("Enter the part before the @");
		}
		value = value.strip().toLowerCase(Locale.ROOT);
		if (value.isEmpty() || value.length() > 64) {
			throw invalid("Use 1 to 64 characters");
		}
		if (!VALID.matcher(value).matches() || value.contains("..")) {
			throw invalid("Use letters, digits and . - _ + (not at the start or end, no two dots in a row)");
		}
	}

	/** The value, refusing reserved names unless {@code allowReserved}. */
	public static LocalPart of(String text, boolean allowReserved) {
		LocalPart localPart = new LocalPart(text);
		if (!allowReserved && RESERVED.contains(localPart.value())) {
			throw invalid(reservedMessage(localPart.value()));
		}
		return localPart;
	}

	/**
	 * Whether {@code text}, normalised, is one of the {@link #RESERVED reserved} names (whether or
	 * not the operator allows them): lets a page say "reserved" rather than "not valid".
	 */
	public static boolean isReservedName(String text) {
		return text != null && RESERVED.contains(text.strip().toLowerCase(Locale.ROOT));
	}

	/** What a person is told when {@code value} is reserved. */
	public static String reservedMessage(String value) {
		return value + " is reserved for the domain's administration; choose another";
	}

	/** Whether {@code text} is a valid local part (and not reserved, unless allowed), without throwing. */
	public static boolean isValid(String text, boolean allowReserved) {
		try {
			of(text, allowReserved);
			return true;
		}
		catch (MailroomException e) {
			return false;
		}
	}

	private static MailroomException invalid(String message) {
		return MailroomException.invalid("local_part", "invalid_local_part", message);
	}

	@Override
	public String toString() {
		return value;
	}
}
