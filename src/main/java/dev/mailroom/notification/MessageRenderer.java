package dev.mailroom.notification;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Renders the messages of the templates a module owns. Called at delivery time (and by the dev
 * viewer), outside any request, inside a transaction entered for {@code orgId}.
 */
public interface MessageRenderer {

	boolean renders(String template);

	/**
	 * The message, or empty when what it was about is gone (then it is not sent).
	 */
	Optional<EmailMessage> render(UUID orgId, String template, Locale language, Map<String, Object> parameters);
}
