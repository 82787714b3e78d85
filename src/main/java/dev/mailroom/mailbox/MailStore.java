package dev.mailroom.mailbox;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The mail data behind mailboxes, as the mail plane keeps it (Dovecot, reached through doveadm).
 * Implemented by the mailplane module only when one is connected; without it there is no bean
 * and mailboxes work as a directory alone.
 */
public interface MailStore {

	/** What each address stores now; an address the mail plane could not report is left out. */
	Map<String, StoredMail> usage(Collection<String> addresses);

	/**
	 * Removes every message and folder of a purged mailbox, found by its id while its wipe is
	 * pending (its row is gone by then). Safe to repeat; a home the mail plane does not know has
	 * nothing to wipe. Throws when the mail plane cannot do it now.
	 */
	void wipePurged(UUID mailboxId);

	/** Storage in use by one mailbox. */
	record StoredMail(long bytes, long messages) {

		public double megabytes() {
			return Math.round(bytes / 1048576.0 * 100) / 100.0;
		}
	}
}
