package dev.mailroom.webmail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;


import dev.mailroom.platform.SecretMac;
import dev.mailroom.platform.ServerSecrets;
import jakarta.servlet.http.HttpSession;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The credential webmail signs in to Dovecot with, one per web session (DESIGN.md §3). Its password
 * is "{@code <credential id>.<HMAC(server secret; session's stable id, credential id)>}": any
 * instance recomputes it from the session, nothing stored opens a mailbox (the row holds its
 * SHA-256, which Dovecot checks), and it dies with the session: the row cascades away with it and
 * the mail-plane views admit it only while the session has not expired and the person may sign in.
 * Minted at the person's first webmail request of the session, once the session row exists.
 */
@Component
class WebmailCredentials {

	/** The session attribute holding "credential id|session primary id" (serializable, no secret). */
	static final String ATTRIBUTE = "mailroom.webmail.credential";

	record Credential(UUID id, UUID userId, String password) {

		@Override
		public String toString() {
			// the password never reaches a log line through this record
			return "Credential[" + id + "]";
		}
	}

	private final JdbcClient jdbc;
	private final SecretMac mac;

	WebmailCredentials(JdbcClient jdbc, ServerSecrets secrets) {
		this.jdbc = jdbc;
		this.mac = secrets.mac("webmail-credential-v1");
	}

	/**
	 * The session's credential for {@code userId}, minted on first use; empty when the session is
	 * not stored yet (the very request that created it).
	 */
	Optional<Credential> of(HttpSession session, UUID userId) {
		if (session.getAttribute(ATTRIBUTE) instanceof String stored) {
			String[] parts = stored.split("\\|");
			if (parts.length == 3 && parts[1].equals(userId.toString())) {
				UUID id = UUID.fromString(parts[0]);
				return Optional.of(new Credential(id, userId, password(parts[2], id)));
			}
		}
		Optional<String> primaryId = jdbc.sql("select primary_id from mailroom.spring_session where session_id = ?")
			.param(session.getId())
			.query(String.class)
			.optional()
			.map(String::strip);
		if (primaryId.isEmpty()) {
			return Optional.empty();
		}
		UUID id = UUID.randomUUID();
		String password = password(primaryId.get(), id);
		jdbc.sql("""
				insert into mailroom.webmail_credentials (id, session_primary_id, user_id, secret_hash)
				values (?, ?, ?, ?)""").params(id, primaryId.get(), userId, hash(password)).update();
		session.setAttribute(ATTRIBUTE, id + "|" + userId + "|" + primaryId.get());
		return Optional.of(new Credential(id, userId, password));
	}

	/** The id of the session's credential, if one was minted (to close its connections). */
	static Optional<UUID> idIn(HttpSession session) {
		try {
			return session.getAttribute(ATTRIBUTE) instanceof String stored
					? Optional.of(UUID.fromString(stored.substring(0, stored.indexOf('|')))) : Optional.empty();
		}
		catch (IllegalStateException e) {
			// already invalidated
			return Optional.empty();
		}
	}

	private String password(String sessionPrimaryId, UUID id) {
		byte[] digest = mac.of((sessionPrimaryId + ":" + id).getBytes(StandardCharsets.UTF_8));
		return id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	/** Dovecot's {@code {SHA256.HEX}} form: the secret has 256 bits, so a fast hash suffices. */
	static String hash(String password) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
			return "{SHA256.HEX}" + HexFormat.of().formatHex(digest);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
