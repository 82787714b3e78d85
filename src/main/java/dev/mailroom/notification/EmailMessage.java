package dev.mailroom.notification;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rendered email: subject, plain text and HTML alternatives. */
public record EmailMessage(String subject, String text, String html) {

	private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"']+");

	/**
	 * The web links of the text part, in order, each once, without a trailing full stop or
	 * bracket (what the dev mail viewer offers to open and, without a relay, the console log shows).
	 */
	public List<String> links() {
		if (text == null) {
			return List.of();
		}
		Set<String> found = new LinkedHashSet<>();
		Matcher matcher = LINK.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group().replaceAll("[.,;:)]+$", ""));
		}
		return List.copyOf(found);
	}
}
