package dev.mailroom.mailbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges mailboxes whose recycle-bin retention ran out. Safe on every instance at once: each
 * run locks the rows it purges and skips rows another run holds.
 */
@Component
class RecycleBinPurge {

	private static final Logger log = LoggerFactory.getLogger(RecycleBinPurge.class);

	private final MailboxService mailboxes;

	RecycleBinPurge(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	@Scheduled(fixedDelayString = "${mailroom.purge-interval:PT10M}", initialDelayString = "PT1M")
	void purge() {
		int purged = mailboxes.purgeExpired(500);
		if (purged > 0) {
			log.info("Purged {} mailbox(es) from the recycle bin", purged);
		}
	}
}
