package dev.mailroom.mailplane;

import dev.mailroom.mailbox.MailStore;
import dev.mailroom.mailbox.MailboxAccessEnded;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.ServerSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app's side of the mail plane, present only when doveadm's URL is configured
 * ({@code MAILROOM_MAILPLANE_DOVEADM_URL}); without it the mailbox module sees no {@link MailStore}
 * and the UI says the mail plane is not connected.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${mailroom.mailplane.doveadm-url:}' != ''")
class MailplaneConfiguration {

	@Bean
	Doveadm doveadm(MailroomSettings settings, ServerSecrets secrets, JsonMapper json) {
		return new Doveadm(settings.mailplane().doveadmUrl(), secrets.doveadmApiKey(), json);
	}

	@Bean
	DoveadmMailStore mailStore(Doveadm doveadm) {
		return new DoveadmMailStore(doveadm);
	}

	@Bean
	SessionEnder sessionEnder(Doveadm doveadm) {
		return new SessionEnder(doveadm);
	}

	/**
	 * Ends the open IMAP sessions on a mailbox once a change that takes access away is committed:
	 * Dovecot checks the views at every login, but a session already open would go on. Kicking
	 * the mailbox ends every member's session in it too (they run as the mailbox's user).
	 * A failure is logged and does not undo the change: the next login is refused anyway.
	 */
	static class SessionEnder {

		private static final Logger log = LoggerFactory.getLogger(SessionEnder.class);

		private final Doveadm doveadm;

		SessionEnder(Doveadm doveadm) {
			this.doveadm = doveadm;
		}

		@TransactionalEventListener(fallbackExecution = true)
		void on(MailboxAccessEnded event) {
			try {
				Doveadm.Answer answer = doveadm.one("kick", java.util.Map.of("mask", java.util.List.of(event.address())));
				// after an archive or delete the mailbox is gone from userdb: nobody to kick is the expected outcome
				if (!answer.ok() && answer.exitCode() != Doveadm.NO_SUCH_USER && answer.exitCode() != Doveadm.NOT_FOUND) {
					log.warn("doveadm kick of {} ({}) failed with exit code {}", event.address(), event.reason(),
							answer.exitCode());
				}
			}
			catch (RuntimeException e) {
				log.warn("Could not end the sessions of {} ({}): {}", event.address(), event.reason(), e.getMessage());
			}
		}
	}
}
