package dev.mailroom.mailbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges mailboxes whose recycle-bin retention ran out, then wipes the mail data of purged
 * mailboxes through the mail plane (now or, when it was away, later). Safe on every instance at
 * once: each run locks the rows it handles and skips rows another run holds.
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
		int wiped = mailboxes.wipePurgedMailData(500);
		if (wiped > 0) {
			log.info("Wiped the mail of {} purged mailbox(es) in the mail plane", wiped);
		}
	}

	/** Says at start how much purged mail is still on the mail plane's disks. */
	@EventListener(ApplicationReadyEvent.class)
	void reportPendingWipes() {
		long pending = mailboxes.pendingMailWipes();
		if (pending == 0) {
			return;
		}
		if (mailboxes.mailPlaneConnected()) {
			log.info("{} purged mailbox(es) still have mail in the mail plane; the purge job wipes it through doveadm",
					pending);
		}
		else {
			log.warn("{} purged mailbox(es) still have mail in the mail plane, kept until doveadm is connected"
					+ " (MAILROOM_MAILPLANE_DOVEADM_URL)", pending);
		}
	}
}
