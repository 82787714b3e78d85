package dev.mailroom.invitation.api;

import java.time.Instant;
import java.util.UUID;

import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.invitation.ShareAddress;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Address-access invites")
class AccessInviteController {

	private final InvitationService invitations;

	AccessInviteController(InvitationService invitations) {
		this.invitations = invitations;
	}

	record Share(@Size(max = 254) String recipientEmail, @NotNull @Size(max = 20) String permission,
			@Size(max = 10) String language, Boolean sendEmail, Instant accessUntil,
			@Size(max = 200) String mailboxPassword) {

		@Override
		public String toString() {
			return "Share[recipientEmail=" + recipientEmail + ", permission=" + permission + "]";
		}
	}

	@PostMapping("/api/v1/mailboxes/{id}/access-invites")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Share this address by link: for one email, or (without recipient_email) a single-use sharing link",
			description = "A regular mailbox needs its own password in mailbox_password unless the caller is its login "
					+ "(403 mailbox_password_required; wrong guesses are throttled, 429 too_many_attempts). In a team, "
					+ "owners and admins cannot share a mailbox another member created (403 member_mailbox).")
	InviteJson share(Actor actor, @PathVariable UUID id, @Valid @RequestBody Share body) {
		SentInvite sent = invitations.shareAddress(actor, id, new ShareAddress(body.recipientEmail(), body.permission(),
				body.language(), body.sendEmail(), body.accessUntil(), body.mailboxPassword()));
		return InviteJson.of(sent.invite(), sent.link());
	}

	@GetMapping("/api/v1/mailboxes/{id}/access-invites")
	@RequiresScope("mailboxes:read")
	Page<InviteJson> list(Actor actor, @PathVariable UUID id) {
		return new Page<>(invitations.accessInvites(actor, id).stream().map(i -> InviteJson.of(i, null)).toList(), null);
	}

	@PostMapping("/api/v1/mailboxes/{id}/access-invites/{inviteId}/cancel")
	@RequiresScope("mailboxes:write")
	InviteJson cancel(Actor actor, @PathVariable UUID id, @PathVariable UUID inviteId) {
		return InviteJson.of(invitations.cancelAccess(actor, id, inviteId), null);
	}

	@PostMapping("/api/v1/mailboxes/{id}/access-invites/{inviteId}/resend")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Send a new link (the old one stops working); a sharing link without recipient is not emailed, its new link is returned")
	InviteJson resend(Actor actor, @PathVariable UUID id, @PathVariable UUID inviteId) {
		SentInvite sent = invitations.resendAccess(actor, id, inviteId);
		return InviteJson.of(sent.invite(), sent.link());
	}
}
