package dev.mailroom.sharing.web;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.mailroom.mailbox.CreatedMailbox;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.sharing.MemberView;
import dev.mailroom.sharing.SharingService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A shared mailbox's settings, reached by the Manage button of its row. Its one tab is Access:
 * the people with access (permission toggle, one-click remove), adding people from the other
 * regular mailboxes, and converting it back to a regular mailbox. There is no password or
 * Security tab: a shared mailbox has nothing to sign in to. The password and recovery code a
 * conversion makes are rendered straight into its answer and never kept anywhere.
 */
@PageController
class SharedAccessPage {

	private final SharingService sharing;
	private final MailboxService mailboxes;

	SharedAccessPage(SharingService sharing, MailboxService mailboxes) {
		this.sharing = sharing;
		this.mailboxes = mailboxes;
	}

	record AddPeopleForm(@Size(max = 500, message = "Choose at most 500 people at once") List<UUID> members,
			@Size(max = 20) String permission) {
	}

	record ToRegularForm(@BindParam("credentials") String passwordChoice,
			@Size(max = 200, message = "Use at most 128 characters") String password) {

		/** {@code null} asks the service to generate one. */
		String passwordOrNull() {
			return "set".equals(passwordChoice) ? (password == null ? "" : password) : null;
		}
	}

	@GetMapping("/mailboxes/{id}/access")
	String access(Actor actor, @PathVariable UUID id, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		MailboxView mailbox = mailboxes.get(actor, id);
		if (!mailbox.shared()) {
			// a regular mailbox has no Access tab (e.g. after it was converted back)
			return "redirect:/mailboxes";
		}
		List<MemberView> members = sharing.members(actor, id);
		Set<UUID> taken = new HashSet<>(members.stream().map(MemberView::mailboxId).toList());
		taken.add(id);
		model.addAttribute("mailbox", mailbox);
		model.addAttribute("members", members);
		model.addAttribute("teamCandidates", TeamCandidates.of(mailboxes, actor, taken));
		return "mailbox/access";
	}

	@PostMapping("/mailboxes/{id}/access/members")
	String add(Actor actor, @PathVariable UUID id, @Valid AddPeopleForm form, RedirectAttributes redirect) {
		String permission = form.permission() == null || form.permission().isBlank() ? null : form.permission();
		List<MemberView> added = sharing.add(actor, id, SharedMailboxesPage.team(form.members(), permission));
		String who = added.stream().map(MemberView::address).collect(Collectors.joining(", "));
		boolean readOnly = "read_only".equals(permission);
		redirect.addFlashAttribute("notice", (added.size() == 1 ? who + " was added" : added.size() + " people were added: " + who)
				+ (readOnly ? " (read-only)." : ". They can open it from their own mailbox now."));
		return access(id);
	}

	@PostMapping("/mailboxes/{id}/access/members/{memberId}/permission")
	String permission(Actor actor, @PathVariable UUID id, @PathVariable UUID memberId,
			@RequestParam String permission, RedirectAttributes redirect) {
		MemberView member = sharing.setPermission(actor, id, memberId, permission);
		redirect.addFlashAttribute("notice", "read_only".equals(member.permission())
				? member.address() + " is now read-only: they can read this mailbox but not send from it."
				: member.address() + " can now reply and send as this address.");
		return access(id);
	}

	@PostMapping("/mailboxes/{id}/access/members/{memberId}/remove")
	String remove(Actor actor, @PathVariable UUID id, @PathVariable UUID memberId, RedirectAttributes redirect) {
		String address = sharing.members(actor, id)
			.stream()
			.filter(m -> m.mailboxId().equals(memberId))
			.map(MemberView::address)
			.findFirst()
			.orElse("The person");
		sharing.remove(actor, id, memberId);
		redirect.addFlashAttribute("notice", address + " no longer has access. It takes effect at once.");
		return access(id);
	}

	/** Members removed, a fresh password (given or generated) and recovery code, shown once in this answer. */
	@PostMapping("/mailboxes/{id}/convert-to-regular")
	String convertToRegular(Actor actor, @PathVariable UUID id, @Valid ToRegularForm form, Model model) {
		CreatedMailbox regular = sharing.convertToRegular(actor, id, form.passwordOrNull());
		model.addAttribute("converted", regular);
		return "mailbox/converted";
	}

	private static String access(UUID id) {
		return "redirect:/mailboxes/" + id + "/access";
	}
}
