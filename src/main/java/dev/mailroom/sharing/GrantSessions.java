package dev.mailroom.sharing;

import java.util.List;

import dev.mailroom.identity.LoginPasswordChanged;
import dev.mailroom.mailbox.MailboxAccessEnded;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.platform.Tenancy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person whose password changed may hold address grants, and open those mailboxes over IMAP
 * with that password (Dovecot master login): those sessions end after commit as well. The mail
 * plane can only end every session on an address, as it does when a grant is revoked.
 */
@Component
class GrantSessions {

	private final Grants grants;
	private final MailboxService mailboxes;
	private final Tenancy tenancy;
	private final ApplicationEventPublisher events;

	GrantSessions(Grants grants, MailboxService mailboxes, Tenancy tenancy, ApplicationEventPublisher events) {
		this.grants = grants;
		this.mailboxes = mailboxes;
		this.tenancy = tenancy;
		this.events = events;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void on(LoginPasswordChanged event) {
		tenancy.enterUser(event.userId());
		for (Grants.Row row : grants.ofUser(event.userId())) {
			MailboxView mailbox = mailboxes.byIds(row.orgId(), List.of(row.mailboxId())).get(row.mailboxId());
			if (mailbox != null && mailbox.status().equals("active")) {
				events.publishEvent(new MailboxAccessEnded(mailbox.organizationId(), mailbox.address(),
						event.reason() + "_grant"));
			}
		}
	}
}
