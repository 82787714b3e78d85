package dev.mailroom.invitation.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import dev.mailroom.sharing.GrantView;
import dev.mailroom.sharing.SharingService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "People &amp; sharing" of a mailbox, reached from the Actions menu of its row: the people who
 * have this address through a grant (permission toggle, since, until, revoke with confirmation),
 * the pending access invites (cancel, resend) and the Invite form above them — a link for one
 * email or a sharing link for whoever receives it. Sharing a regular mailbox (a person's mail)
 * asks for that address's own password — the service decides when, the page only shows the field.
 * A new link is rendered straight into the answer, once, with a Copy button; it is never kept in
 * the flash or the session.
 */
@PageController
class AddressAccessPage {

	private final InvitationService invitations;
	private final SharingService sharing;
	private final MailboxService mailboxes;

	AddressAccessPage(InvitationService invitations, SharingService sharing, MailboxService mailboxes) {
		this.invitations = invitations;
		this.sharing = sharing;
		this.mailboxes = mailboxes;
	}

	record InviteForm(@Size(max = 10) String target,
			@BindParam("recipient_email") @Size(max = 254, message = "Use at most 254 characters") String recipientEmail,
			@Size(max = 20) String permission, @Size(max = 10) String language,
			@BindParam("send_email") Boolean sendEmail,
			@BindParam("access_until") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate accessUntil,
			@BindParam("mailbox_password") @Size(max = 200, message = "Use at most 128 characters") String mailboxPassword) {

		@Override
		public String toString() {
			return "InviteForm[target=" + target + "]";
		}

		boolean sharingLink() {
			return "link".equals(target);
		}

		/** The end of the chosen day, UTC; {@code null} for no end. */
		Instant until() {
			return accessUntil == null ? null : accessUntil.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
		}
	}

	@GetMapping("/mailboxes/{id}/people")
	String people(Actor actor, @PathVariable UUID id, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		return page(actor, id, model);
	}

	@PostMapping("/mailboxes/{id}/people/invites")
	String invite(Actor actor, @PathVariable UUID id, @Valid InviteForm form, Model model) {
		String recipient = null;
		if (!form.sharingLink()) {
			if (form.recipientEmail() == null || form.recipientEmail().isBlank()) {
				throw MailroomException.invalid("recipient_email", "required", "Enter the email of the person to invite");
			}
			recipient = form.recipientEmail().strip();
		}
		SentInvite sent = invitations.shareAddress(actor, id, new ShareAddress(recipient,
				form.permission() == null || form.permission().isBlank() ? "read_only" : form.permission(),
				form.language(), recipient != null && Boolean.TRUE.equals(form.sendEmail()), form.until(),
				form.mailboxPassword()));
		model.addAttribute("sent", sent);
		return page(actor, id, model);
	}

	@PostMapping("/mailboxes/{id}/people/invites/{inviteId}/resend")
	String resend(Actor actor, @PathVariable UUID id, @PathVariable UUID inviteId, Model model) {
		SentInvite sent = invitations.resendAccess(actor, id, inviteId);
		model.addAttribute("sent", sent);
		model.addAttribute("resent", true);
		return page(actor, id, model);
	}

	/** The current link of a pending invite, shown again (not rotated) to copy. */
	@PostMapping("/mailboxes/{id}/people/invites/{inviteId}/link")
	String currentLink(Actor actor, @PathVariable UUID id, @PathVariable UUID inviteId, Model model) {
		InviteView invite = invitations.accessInvites(actor, id)
			.stream()
			.filter(i -> i.id().equals(inviteId))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Invite"));
		model.addAttribute("sent", new SentInvite(invite, invitations.currentLink(actor, inviteId)));
		return page(actor, id, model);
	}

	@PostMapping("/mailboxes/{id}/people/invites/{inviteId}/cancel")
	String cancel(Actor actor, @PathVariable UUID id, @PathVariable UUID inviteId, RedirectAttributes redirect) {
		InviteView canceled = invitations.cancelAccess(actor, id, inviteId);
		redirect.addFlashAttribute("notice", (canceled.recipientEmail() == null ? "The sharing link"
				: "The invite to " + canceled.recipientEmail()) + " was canceled. Its link no longer works.");
		return people(id);
	}

	@PostMapping("/mailboxes/{id}/people/grants/{userId}/permission")
	String permission(Actor actor, @PathVariable UUID id, @PathVariable UUID userId, @RequestParam String permission,
			RedirectAttributes redirect) {
		GrantView grant = sharing.updateGrant(actor, id, userId, permission, null, false);
		redirect.addFlashAttribute("notice", "read_only".equals(grant.permission())
				? grant.email() + " is now read-only: they can read this address but not send from it."
				: grant.email() + " can now reply and send as this address.");
		return people(id);
	}

	@PostMapping("/mailboxes/{id}/people/grants/{userId}/revoke")
	String revoke(Actor actor, @PathVariable UUID id, @PathVariable UUID userId, RedirectAttributes redirect) {
		GrantView revoked = sharing.revoke(actor, id, userId);
		redirect.addFlashAttribute("notice", revoked.email() + " no longer has this address. It takes effect at once.");
		return people(id);
	}

	private String page(Actor actor, UUID id, Model model) {
		MailboxView mailbox = mailboxes.get(actor, id);
		List<GrantView> grants = sharing.grants(actor, id);
		List<InviteView> pending = invitations.accessInvites(actor, id).stream().filter(InviteView::pending).toList();
		model.addAttribute("mailbox", mailbox);
		// the address's own password proves its person agrees; its own login needs none
		model.addAttribute("asksMailboxPassword", mailbox.regular() && !actor.userId().equals(mailbox.loginUserId()));
		model.addAttribute("grants", grants);
		model.addAttribute("pending", pending);
		return "invitation/address-access";
	}

	private static String people(UUID id) {
		return "redirect:/mailboxes/" + id + "/people";
	}
}
