package dev.mailroom.mailbox;

import java.util.UUID;

import dev.mailroom.domains.DomainInUse;
import org.springframework.stereotype.Component;

/** A domain that still has mailboxes (the recycle bin included) cannot be deleted. */
@Component
class MailboxesOnDomain implements DomainInUse {

	private final MailboxService mailboxes;

	MailboxesOnDomain(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	@Override
	public String reasonInUse(UUID orgId, UUID domainId) {
		return mailboxes.reasonInUse(orgId, domainId);
	}
}
