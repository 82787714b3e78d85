package dev.mailroom.invitation;

import java.util.List;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxReservations;
import dev.mailroom.mailbox.PendingMailbox;
import dev.mailroom.mailbox.PendingMailboxes;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.PageRequest;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** Pending setup invites hold mailbox slots and their dedicated storage, and are listed among the mailboxes. */
@Component
class PendingInvites implements MailboxReservations, PendingMailboxes {

	private final InvitationService invitations;

	// lazy: the invitation service itself depends on the mailbox service that asks us
	PendingInvites(@Lazy InvitationService invitations) {
		this.invitations = invitations;
	}

	@Override
	public long onDomain(UUID orgId, UUID domainId) {
		return invitations.pendingOnDomain(orgId, domainId);
	}

	@Override
	public long inOrganization(UUID orgId) {
		return invitations.pendingInOrganization(orgId);
	}

	@Override
	public long storageMb(UUID orgId) {
		return invitations.reservedStorageMb(orgId);
	}

	@Override
	public List<PendingMailbox> page(Actor actor, UUID domainId, String query, PageRequest.Keyset after, int limit) {
		return invitations.pendingMailboxes(actor, domainId, query, after, limit);
	}
}
