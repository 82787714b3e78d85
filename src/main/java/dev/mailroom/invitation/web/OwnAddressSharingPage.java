package dev.mailroom.invitation.web;

import java.util.List;
import java.util.UUID;

import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.invitation.ShareAddress;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.PageController;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * "Share your mailbox", reached from the account page of a mailbox's own login: the person
 * signed in as the address shares it themselves (no further password: they are its login). The
 * same invite as an admin's, for one email or a sharing link; the new link is shown once.
 */
@PageController
class OwnAddressSharingPage {

	private final InvitationService invitations;
	private final MailboxService mailboxes;

	OwnAddressSharingPage(InvitationService invitations, MailboxService mailboxes) {
		this.invitations = invitations;
		this.mailboxes = mailboxes;
	}

	record ShareForm(@Size(max = 10) String target,
			@BindParam("recipient_email") @Size(max = 254, message = "Use at most 254 characters") String recipientEmail,
			@Size(max = 20) String permission, @Size(max = 10) String language,
			@BindParam("send_email") Boolean sendEmail) {
	}

	@GetMapping("/account/mailboxes/{id}/share")
	String page(Actor actor, @PathVariable UUID id, Model model) {
		MailboxView mailbox = own(actor, id);
		List<InviteView> pending = invitations.ownAccessInvites(actor, id).stream().filter(InviteView::pending).toList();
		model.addAttribute("mailbox", mailbox);
		model.addAttribute("pending", pending);
		return "invitation/own-share";
	}

	@PostMapping("/account/mailboxes/{id}/share")
	String share(Actor actor, @PathVariable UUID id, @Valid ShareForm form, Model model) {
		String recipient = null;
		if (!"link".equals(form.target())) {
			if (form.recipientEmail() == null || form.recipientEmail().isBlank()) {
				throw MailroomException.invalid("recipient_email", "required", "Enter the email of the person to invite");
			}
			recipient = form.recipientEmail().strip();
		}
		SentInvite sent = invitations.shareOwnAddress(actor, id, new ShareAddress(recipient,
				form.permission() == null || form.permission().isBlank() ? "read_only" : form.permission(),
				form.language(), recipient != null && Boolean.TRUE.equals(form.sendEmail()), null, null));
		model.addAttribute("sent", sent);
		return page(actor, id, model);
	}

	private MailboxView own(Actor actor, UUID id) {
		return mailboxes.ownLogins(actor.userId())
			.stream()
			.filter(m -> m.id().equals(id))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Mailbox"));
	}
}
