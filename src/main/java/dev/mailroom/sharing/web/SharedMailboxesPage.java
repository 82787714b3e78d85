package dev.mailroom.sharing.web;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.sharing.NewMember;
import dev.mailroom.sharing.SharingService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Making a shared mailbox: the "Shared" form of the Mailboxes page's "Create New Mailbox" card
 * (rendered by the mailbox module's page, received here), and converting a regular mailbox from
 * its row menu. Neither ever asks for or shows a password.
 */
@PageController
class SharedMailboxesPage {

	private final SharingService sharing;
	private final MailboxService mailboxes;

	SharedMailboxesPage(SharingService sharing, MailboxService mailboxes) {
		this.sharing = sharing;
		this.mailboxes = mailboxes;
	}

	record CreateSharedForm(@BindParam("domain_id") UUID domainId,
			@BindParam("local_part") @Size(max = 200, message = "Use at most 64 characters") String localPart,
			@BindParam("display_name") @Size(max = 200, message = "Use at most 200 characters") String displayName,
			@Size(max = 500, message = "Choose at most 500 people at once") List<UUID> members) {
	}

	record TeamForm(@Size(max = 500, message = "Choose at most 500 people at once") List<UUID> members) {
	}

	/** Everyone chosen, with the default permission (reply); the service checks each of them. */
	static List<NewMember> team(List<UUID> members, String permission) {
		return members == null ? List.of() : members.stream().map(id -> new NewMember(id, permission)).toList();
	}

	@PostMapping("/mailboxes/shared")
	String create(Actor actor, @Valid CreateSharedForm form, RedirectAttributes redirect) {
		MailboxView shared = sharing.create(actor, form.domainId(), form.localPart(), form.displayName(),
				team(form.members(), null));
		redirect.addFlashAttribute("notice", shared.address() + " is ready: " + people(shared.memberCount())
				+ " can open it from their own mailbox. It has no password; nobody signs in to it directly.");
		return "redirect:/mailboxes";
	}

	@GetMapping("/mailboxes/{id}/convert-to-shared")
	String convertForm(Actor actor, @PathVariable UUID id, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		MailboxView mailbox = mailboxes.get(actor, id);
		if (mailbox.shared()) {
			return "redirect:/mailboxes/" + id + "/access";
		}
		model.addAttribute("mailbox", mailbox);
		model.addAttribute("teamCandidates", TeamCandidates.of(mailboxes, actor, Set.of(id)));
		return "mailbox/convert-shared";
	}

	@PostMapping("/mailboxes/{id}/convert-to-shared")
	String convert(Actor actor, @PathVariable UUID id, @Valid TeamForm form, RedirectAttributes redirect) {
		MailboxView shared = sharing.convertToShared(actor, id, team(form.members(), null));
		redirect.addFlashAttribute("notice", shared.address() + " is now a shared mailbox: " + people(shared.memberCount())
				+ " can open it from their own mailbox. Its old password and recovery code no longer work anywhere.");
		return "redirect:/mailboxes/" + id + "/access";
	}

	static String people(Integer count) {
		return count != null && count == 1 ? "1 person" : (count == null ? 0 : count) + " people";
	}
}
