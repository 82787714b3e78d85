package dev.mailroom.webmail.web;

import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.webmail.Webmail;
import dev.mailroom.webmail.WebmailUser;
import dev.mailroom.webmail.WebmailViews.FolderState;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * What an open Mail page polls for (mail.js): the unread counts of the switcher and the folders, and
 * the open folder's size and newest UID, so the page can say "new messages" without a reload. Same
 * session and the same checks as the pages: a mailbox the person may not open is a 404.
 */
@PageController
class MailUpdates {

	private final Webmail webmail;

	MailUpdates(Webmail webmail) {
		this.webmail = webmail;
	}

	@GetMapping("/mail/{mailboxId}/updates")
	@ResponseBody
	ResponseEntity<Updates> updates(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "INBOX") String folder) {
		WebmailUser user = WebmailRequests.user(actor, request);
		// folders first: it is the call that refuses a mailbox the person may not open
		List<FolderUnread> folders = webmail.folders(user, mailboxId)
			.stream()
			.map(f -> new FolderUnread(f.name(), f.unread()))
			.toList();
		FolderState state = webmail.folderState(user, mailboxId, folder);
		List<MailboxUnread> mailboxes = webmail.mailboxesWithUnread(user, mailboxId)
			.stream()
			.map(m -> new MailboxUnread(m.mailboxId(), m.unread()))
			.toList();
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new Updates(mailboxes, folders, state.total(), state.newestUid()));
	}

	/** {@code unread} is null where the count could not be read. */
	record MailboxUnread(UUID id, Integer unread) {
	}

	record FolderUnread(String name, int unread) {
	}

	record Updates(List<MailboxUnread> mailboxes, List<FolderUnread> folders, int total, long newestUid) {
	}
}
