package dev.mailroom.webmail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Webmail's IMAP connections, pooled per web session (by its credential): one store per mailbox
 * the session works in, at most {@link WebmailSettings#connectionsPerSession()} (the least recently
 * used is closed beyond that), closed at sign-out and after 10 idle minutes. Each store logs in
 * with the session's credential and tells Dovecot the browser's address (IMAP ID
 * {@code x-originating-ip}, honoured from {@code login_trusted_networks}), so Dovecot's per-user
 * and per-address limits count people, not the app.
 */
@Component
class ImapConnections {

	private static final Logger log = LoggerFactory.getLogger(ImapConnections.class);
	static final Duration IDLE = Duration.ofMinutes(10);

	private final WebmailSettings settings;
	private final Session mail;
	private final Map<UUID, Pool> pools = new ConcurrentHashMap<>();

	ImapConnections(WebmailSettings settings) {
		this.settings = settings;
		Properties props = new Properties();
		props.put("mail.imap.connectiontimeout", "5000");
		props.put("mail.imap.timeout", "20000");
		props.put("mail.imap.writetimeout", "20000");
		// reading a message must not mark it read: the app sets \Seen itself where the person may
		props.put("mail.imap.peek", "true");
		// fetch a message body in one go rather than in 16 KB pieces
		props.put("mail.imap.fetchsize", "1048576");
		props.put("mail.imap.connectionpoolsize", "2");
		props.put("mail.imap.starttls.enable", "true");
		if (settings.imapStarttls()) {
			props.put("mail.imap.starttls.required", "true");
		}
		this.mail = Session.getInstance(props);
	}

	/** An open store on {@code imapUser} for the credential's session, connecting if needed. */
	IMAPStore store(WebmailCredentials.Credential credential, String imapUser, String clientIp) throws MessagingException {
		Pool pool = pools.computeIfAbsent(credential.id(), id -> new Pool());
		Entry entry;
		List<IMAPStore> evicted = new ArrayList<>();
		synchronized (pool) {
			entry = pool.stores.get(imapUser);
			if (entry == null) {
				entry = new Entry(new OriginatingStore(mail, clientIp));
				pool.stores.put(imapUser, entry);
				Iterator<Entry> oldest = pool.stores.values().iterator();
				while (pool.stores.size() > settings.connectionsPerSession()) {
					evicted.add(oldest.next().store);
					oldest.remove();
				}
			}
			entry.used = Instant.now();
		}
		evicted.forEach(ImapConnections::close);
		synchronized (entry) {
			if (!entry.store.isConnected()) {
				entry.store.connect(settings.imapHost(), settings.imapPort(), imapUser, credential.password());
			}
			return entry.store;
		}
	}

	/** Closes the store on {@code imapUser}, e.g. after Dovecot refused it. */
	void forget(UUID credentialId, String imapUser) {
		Pool pool = pools.get(credentialId);
		if (pool != null) {
			Entry entry;
			synchronized (pool) {
				entry = pool.stores.remove(imapUser);
			}
			if (entry != null) {
				close(entry.store);
			}
		}
	}

	/** Closes every connection of a web session (sign-out). */
	void closeAll(UUID credentialId) {
		Pool pool = pools.remove(credentialId);
		if (pool != null) {
			synchronized (pool) {
				pool.stores.values().forEach(e -> close(e.store));
				pool.stores.clear();
			}
		}
	}

	/** How many stores are open for a session (for tests and health). */
	int open(UUID credentialId) {
		Pool pool = pools.get(credentialId);
		if (pool == null) {
			return 0;
		}
		synchronized (pool) {
			return (int) pool.stores.values().stream().filter(e -> e.store.isConnected()).count();
		}
	}

	@Scheduled(fixedDelay = 60_000)
	void closeIdle() {
		Instant cutoff = Instant.now().minus(IDLE);
		pools.forEach((id, pool) -> {
			List<IMAPStore> idle = new ArrayList<>();
			synchronized (pool) {
				pool.stores.values().removeIf(e -> {
					if (e.used.isBefore(cutoff)) {
						idle.add(e.store);
						return true;
					}
					return false;
				});
				if (pool.stores.isEmpty()) {
					pools.remove(id, pool);
				}
			}
			idle.forEach(ImapConnections::close);
		});
	}

	@PreDestroy
	void closeEverything() {
		pools.keySet().forEach(this::closeAll);
	}

	private static void close(IMAPStore store) {
		try {
			store.close();
		}
		catch (MessagingException | RuntimeException e) {
			log.debug("Closing an IMAP connection failed: {}", e.getClass().getSimpleName());
		}
	}

	private static final class Pool {

		/** Access-ordered: the first entry is the least recently used. */
		final LinkedHashMap<String, Entry> stores = new LinkedHashMap<>(8, 0.75f, true);
	}

	private static final class Entry {

		final IMAPStore store;
		volatile Instant used = Instant.now();

		Entry(IMAPStore store) {
			this.store = store;
		}
	}

	/** Tells Dovecot the browser's address before logging in (IMAP ID, RFC 2971). */
	private static final class OriginatingStore extends IMAPStore {

		private final String clientIp;

		OriginatingStore(Session session, String clientIp) {
			super(session, new URLName("imap", null, -1, null, null, null));
			this.clientIp = clientIp;
		}

		@Override
		protected void preLogin(IMAPProtocol protocol) throws ProtocolException {
			if (clientIp != null && !clientIp.isBlank() && protocol.hasCapability("ID")) {
				protocol.id(Map.of("x-originating-ip", clientIp, "name", "Mailroom webmail"));
			}
		}
	}
}
