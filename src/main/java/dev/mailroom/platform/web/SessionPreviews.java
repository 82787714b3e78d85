package dev.mailroom.platform.web;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;

import dev.mailroom.platform.MailroomException;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;

/**
 * Where a multi-step page keeps what it parsed between the preview and the final action: in the
 * person's session, under a random key, one at a time (a new preview drops older ones). Nothing
 * kept here is shown back in a page as it is.
 */
public final class SessionPreviews<T extends Serializable> {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String prefix;
	private final Class<T> type;
	private final String expiredMessage;

	/** {@code expiredMessage} tells what to do when a key no longer names a preview. */
	public SessionPreviews(String prefix, Class<T> type, String expiredMessage) {
		this.prefix = prefix;
		this.type = type;
		this.expiredMessage = expiredMessage;
	}

	/** Keeps {@code value} under a new random key, dropping older previews of this kind. */
	public String keep(HttpSession session, T value) {
		for (String name : Collections.list(session.getAttributeNames())) {
			if (name.startsWith(prefix)) {
				session.removeAttribute(name);
			}
		}
		byte[] random = new byte[18];
		RANDOM.nextBytes(random);
		String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		session.setAttribute(prefix + key, value);
		return key;
	}

	public Optional<T> find(HttpSession session, String key) {
		Object value = session.getAttribute(prefix + key);
		return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
	}

	/** The preview, or 409 {@code preview_expired} with the message given at construction. */
	public T require(HttpSession session, String key) {
		return find(session, key)
			.orElseThrow(() -> new MailroomException(HttpStatus.CONFLICT, "preview_expired", expiredMessage));
	}

	/** The preview, taken out of the session: whatever happens next, it is not kept. */
	public T take(HttpSession session, String key) {
		T value = require(session, key);
		remove(session, key);
		return value;
	}

	public void replace(HttpSession session, String key, T value) {
		session.setAttribute(prefix + key, value);
	}

	public void remove(HttpSession session, String key) {
		session.removeAttribute(prefix + key);
	}

	public String expiredMessage() {
		return expiredMessage;
	}
}
