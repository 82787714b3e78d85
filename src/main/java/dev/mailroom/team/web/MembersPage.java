package dev.mailroom.team.web;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import dev.mailroom.invitation.InviteView;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.team.MemberRemoval;
import dev.mailroom.team.TeamService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Manage members (profile menu → Manage members), the owner's page: invite a new member,
 * the invitations (resend with a fresh link, cancel) and the member cards. Removing a member goes
 * through a page of its own that names every mailbox the removal deletes and asks to confirm.
 * Anyone else gets 403 from the service.
 */
@PageController
class MembersPage {

	private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final TeamService teams;

	MembersPage(TeamService teams) {
		this.teams = teams;
	}

	record InviteForm(@Size(max = 254, message = "Use at most 254 characters") String email,
			@Size(max = 10) String language) {
	}

	@GetMapping("/team/members")
	String members(Actor actor, Model model) {
		model.addAttribute("members", teams.members(actor));
		model.addAttribute("team", teams.team(actor));
		model.addAttribute("invitations", teams.invitations(actor, null, PageRequest.first(PageRequest.MAX_LIMIT)).items());
		return "team/members";
	}

	@PostMapping("/team/invitations")
	String invite(Actor actor, @Valid InviteForm form, RedirectAttributes redirect) {
		SentInvite sent = teams.invite(actor, form.email(), form.language());
		redirect.addFlashAttribute("notice", "Invitation sent to " + sent.invite().recipientEmail()
				+ ". The link works until " + EXPIRY.format(sent.invite().expiresAt()) + ".");
		return "redirect:/team/members";
	}

	@PostMapping("/team/invitations/{id}/resend")
	String resend(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		SentInvite sent = teams.resendInvitation(actor, id);
		redirect.addFlashAttribute("notice", "A new invitation link went to " + sent.invite().recipientEmail()
				+ "; the previous link no longer works.");
		return "redirect:/team/members";
	}

	@PostMapping("/team/invitations/{id}/cancel")
	String cancel(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		InviteView canceled = teams.cancelInvitation(actor, id);
		redirect.addFlashAttribute("notice",
				"The invitation to " + canceled.recipientEmail() + " was canceled. Its link no longer works.");
		return "redirect:/team/members";
	}

	@GetMapping("/team/members/{userId}/remove")
	String confirmRemoval(Actor actor, @PathVariable UUID userId, Model model) {
		model.addAttribute("removal", teams.removalPreview(actor, userId));
		return "team/remove";
	}

	@PostMapping("/team/members/{userId}/remove")
	String remove(Actor actor, @PathVariable UUID userId, @RequestParam(required = false) String confirm,
			RedirectAttributes redirect) {
		if (!"true".equals(confirm)) {
			throw MailroomException.invalid("confirm", "confirmation_required",
					"Tick the box to confirm that the member and these mailboxes are to go.");
		}
		MemberRemoval removed = teams.removeMember(actor, userId, true);
		redirect.addFlashAttribute("notice", removed.email() + " was removed from the team and "
				+ (removed.mailboxes().isEmpty() ? "had no mailboxes." : "their " + removed.mailboxList() + " were deleted.")
				+ " They keep their account on the free plan.");
		return "redirect:/team/members";
	}
}
