package dev.mailroom.invitation;

import java.util.UUID;

import dev.mailroom.mailbox.MailboxReservations;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** Pending setup invites hold mailbox slots and their dedicated storage. */
@Component
class PendingInvites implements MailboxReservations {

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
}
