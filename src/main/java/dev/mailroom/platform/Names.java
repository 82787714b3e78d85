package dev.mailroom.platform;

import java.util.Optional;

/**
 * The one rule for every name people give and others read: person names, organization names,
 * API key names, mailbox display names. Surrounding white space is dropped; the rest must fit
 * the length and hold no control character (C0, DEL, C1: tab and line breaks included), no
 * bidirectional formatting (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
 * U+200E/U+200F/U+061C marks: they make a name read differently from what it is, an override
 * shows "invoice" + RLO + "fdp.exe" as "invoiceexe.pdf") and no line or paragraph separator (U+2028,
 * U+2029). 422 {@code required} when a required name is blank, else {@code invalid_name}.
 */
public final class Names {

	private Names() {
	}

	/** The stripped name; 422 {@code required} (blank) or {@code invalid_name} on {@code field}. */
	public static String require(String field, String name, int maxLength) {
		if (name == null || name.isBlank()) {
			throw MailroomException.invalid(field, "required", "Enter a name");
		}
		return optional(field, name, maxLength);
	}

	/** The stripped name, or null when it is null or blank; 422 {@code invalid_name} on {@code field}. */
	public static String optional(String field, String name, int maxLength) {
		Optional<MailroomException.FieldError> error = check(field, name, maxLength);
		if (error.isPresent()) {
			throw MailroomException.invalid(field, error.get().code(), error.get().message());
		}
		return name == null || name.isBlank() ? null : name.strip();
	}

	/**
	 * What is wrong with an optional name, for callers that collect the errors of many items;
	 * empty when it is fine (null and blank are).
	 */
	public static Optional<MailroomException.FieldError> check(String field, String name, int maxLength) {
		if (name == null || name.isBlank()) {
			return Optional.empty();
		}
		String stripped = name.strip();
		if (stripped.length() > maxLength) {
			return Optional.of(new MailroomException.FieldError(field, "invalid_name",
					"Use at most " + maxLength + " characters"));
		}
		if (stripped.chars().anyMatch(Names::forbidden)) {
			return Optional.of(new MailroomException.FieldError(field, "invalid_name",
					"Use no control characters, line breaks or text-direction marks"));
		}
		return Optional.empty();
	}

	/** Whether {@code c} may not appear in a name. */
	static boolean forbidden(int c) {
		return Character.isISOControl(c) || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E
				|| c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029;
	}
}
