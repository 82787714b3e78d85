package dev.mailroom.invitation;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Records the expiry of overdue invites. Their slots and storage are free from the moment they
 * expire (every count ignores expired invites); this only makes the status say so.
 */
@Component
class InviteExpiry {

	private final InvitationService invitations;

	InviteExpiry(InvitationService invitations) {
		this.invitations = invitations;
	}

	@Scheduled(fixedDelayString = "${mailroom.invite-expiry-interval:PT5M}", initialDelayString = "PT1M")
	void expire() {
		invitations.expireOverdue(1000);
	}
}
