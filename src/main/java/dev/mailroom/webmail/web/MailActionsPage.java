package dev.mailroom.webmail.web;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.webmail.MailActions;
import dev.mailroom.webmail.MailActions.Action;
import dev.mailroom.webmail.MailActions.Applied;
import dev.mailroom.webmail.MailActions.Deletion;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Mail page's forms that change mail: the list's and the message's actions, emptying Trash
 * and managing folders. Each answers with a redirect and a notice, or the refusal as an error on
 * the page the person was on; permanent deletions first show what they delete and ask.
 */
@PageController
class MailActionsPage {

	/** Where a message page's form may send the person back to: that message, in this app. */
	private static final Pattern MESSAGE_PAGE = Pattern
		.compile("/mail/[0-9a-f-]{36}/messages/\\d+(\\?[A-Za-z0-9._~%+&=/-]*)?");

	private final MailActions actions;

	MailActionsPage(MailActions actions) {
		this.actions = actions;
	}

	@PostMapping("/mail/{mailboxId}/messages/actions")
	String apply(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "INBOX") String folder, @RequestParam(required = false) List<Long> uid,
			@RequestParam(required = false) List<Long> shown, @RequestParam(required = false) String all,
			@RequestParam(required = false) String action, @RequestParam(required = false) String target,
			@RequestParam(required = false) String back, RedirectAttributes redirect) {
		String list = list(mailboxId, folder);
		String message = back != null && MESSAGE_PAGE.matcher(back).matches()
				&& back.startsWith("/mail/" + mailboxId + "/") ? back : null;
		try {
			// "Select all" works without script: the page lists the messages it shows
			List<Long> selected = "yes".equals(all) && shown != null ? shown : uid;
			Applied applied = actions.apply(WebmailRequests.user(actor, request), mailboxId, folder, selected,
					action(action), target);
			redirect.addFlashAttribute("notice", notice(applied));
			// marking unread on the message page goes to the list: showing the message marks it read again
			boolean stays = applied.action() == Action.READ || applied.action() == Action.FLAG
					|| applied.action() == Action.UNFLAG;
			return "redirect:" + (stays && message != null ? message : list);
		}
		catch (MailroomException e) {
			redirect.addFlashAttribute("error", e.getMessage());
			return "redirect:" + (message != null && e.status() != HttpStatus.NOT_FOUND ? message : list);
		}
	}

	@PostMapping("/mail/{mailboxId}/trash/empty")
	String emptyTrash(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(required = false) String confirm, Model model, RedirectAttributes redirect) {
		try {
			Deletion deletion = actions.emptyTrash(WebmailRequests.user(actor, request), mailboxId, "yes".equals(confirm));
			if (!deletion.done()) {
				model.addAttribute("question", "Empty Trash?");
				model.addAttribute("explanation", "This permanently deletes " + messages(deletion.messages())
						+ ". They cannot be brought back.");
				model.addAttribute("action", "/mail/" + mailboxId + "/trash/empty");
				model.addAttribute("folder", deletion.folder());
				model.addAttribute("confirmLabel", "Empty Trash");
				model.addAttribute("cancel", list(mailboxId, deletion.folder()));
				return "webmail/confirm";
			}
			redirect.addFlashAttribute("notice", deletion.messages() == 0 ? "Trash is already empty"
					: "Trash emptied: " + messages(deletion.messages()) + " deleted permanently");
			return "redirect:" + list(mailboxId, deletion.folder());
		}
		catch (MailroomException e) {
			redirect.addFlashAttribute("error", e.getMessage());
			return "redirect:" + list(mailboxId, "Trash");
		}
	}

	@PostMapping("/mail/{mailboxId}/folders")
	String createFolder(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(required = false) String name, @RequestParam(defaultValue = "INBOX") String folder,
			RedirectAttributes redirect) {
		try {
			String created = actions.createFolder(WebmailRequests.user(actor, request), mailboxId, name);
			redirect.addFlashAttribute("notice", "Folder " + created + " created");
			return "redirect:" + list(mailboxId, created);
		}
		catch (MailroomException e) {
			redirect.addFlashAttribute("error", e.getMessage());
			return "redirect:" + list(mailboxId, folder);
		}
	}

	@PostMapping("/mail/{mailboxId}/folders/rename")
	String renameFolder(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "INBOX") String folder, @RequestParam(required = false) String name,
			RedirectAttributes redirect) {
		try {
			String renamed = actions.renameFolder(WebmailRequests.user(actor, request), mailboxId, folder, name);
			redirect.addFlashAttribute("notice", "Folder " + folder + " renamed to " + renamed);
			return "redirect:" + list(mailboxId, renamed);
		}
		catch (MailroomException e) {
			redirect.addFlashAttribute("error", e.getMessage());
			return "redirect:" + list(mailboxId, folder);
		}
	}

	@PostMapping("/mail/{mailboxId}/folders/delete")
	String deleteFolder(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "INBOX") String folder, @RequestParam(required = false) String confirm,
			Model model, RedirectAttributes redirect) {
		try {
			Deletion deletion = actions.deleteFolder(WebmailRequests.user(actor, request), mailboxId, folder,
					"yes".equals(confirm));
			if (!deletion.done()) {
				model.addAttribute("question", "Delete the folder " + deletion.folder() + "?");
				model.addAttribute("explanation", "It holds " + messages(deletion.messages())
						+ ", which are deleted permanently with it. They cannot be brought back.");
				model.addAttribute("action", "/mail/" + mailboxId + "/folders/delete");
				model.addAttribute("folder", deletion.folder());
				model.addAttribute("confirmLabel", "Delete folder and messages");
				model.addAttribute("cancel", list(mailboxId, deletion.folder()));
				return "webmail/confirm";
			}
			redirect.addFlashAttribute("notice", "Folder " + deletion.folder() + " deleted");
			return "redirect:" + list(mailboxId, "INBOX");
		}
		catch (MailroomException e) {
			redirect.addFlashAttribute("error", e.getMessage());
			return "redirect:" + list(mailboxId, folder);
		}
	}

	private static Action action(String action) {
		try {
			return Action.valueOf(action == null ? "" : action.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "invalid_action", "Choose what to do with the messages");
		}
	}

	private static String notice(Applied applied) {
		String what = applied.count() == 1 ? "Message" : applied.count() + " messages";
		return switch (applied.action()) {
			case READ -> what + " marked read";
			case UNREAD -> what + " marked unread";
			case FLAG -> what + " flagged";
			case UNFLAG -> what + " unflagged";
			case MOVE -> what + " moved to " + applied.movedTo();
			case DELETE -> applied.permanently() ? what + " deleted permanently" : what + " deleted";
		};
	}

	private static String messages(int count) {
		return count == 1 ? "1 message" : count + " messages";
	}

	private static String list(UUID mailboxId, String folder) {
		return UriComponentsBuilder.fromPath("/mail/{m}")
			.queryParam("folder", folder == null || folder.isBlank() ? "INBOX" : folder)
			.buildAndExpand(mailboxId)
			.encode()
			.toUriString();
	}
}
