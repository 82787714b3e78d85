package dev.mailroom.webmail.web;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.webmail.Webmail;
import dev.mailroom.webmail.WebmailUser;
import dev.mailroom.webmail.WebmailViews.FolderEntry;
import dev.mailroom.webmail.WebmailViews.MailboxEntry;
import dev.mailroom.webmail.WebmailViews.PartContent;
import dev.mailroom.webmail.WebmailViews.Search;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Mail page: the switcher (own mailbox, shared mailboxes, addresses shared with the person),
 * the open mailbox's folders and messages, and a message. The open mailbox is in the URL; every
 * request asks {@link Webmail} again whether the person may open it.
 */
@PageController
class MailPage {

	/** A message's HTML runs nothing, submits nothing and loads nothing but inline images. */
	static final String BODY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
			+ "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox allow-popups allow-popups-to-escape-sandbox";

	/** As {@link #BODY_POLICY}, once the person chose "Show images". */
	static final String BODY_POLICY_WITH_IMAGES = BODY_POLICY.replace("img-src data:", "img-src data: https: http:")
		.replace("style-src 'unsafe-inline'", "style-src 'unsafe-inline' https: http:");

	private final Webmail webmail;

	MailPage(Webmail webmail) {
		this.webmail = webmail;
	}

	@GetMapping("/mail")
	String mail(Actor actor, HttpServletRequest request, Model model,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		if (!webmail.connected()) {
			model.addAttribute("notConnected", true);
			model.addAttribute("mailboxes", List.of());
			return "webmail/mail";
		}
		List<MailboxEntry> mailboxes = webmail.mailboxes(user(actor, request));
		if (mailboxes.isEmpty()) {
			model.addAttribute("mailboxes", mailboxes);
			return "webmail/mail";
		}
		// a welcome said on the way here (joining a team) is shown on the mailbox it lands on
		if (model.getAttribute("notice") != null) {
			redirect.addFlashAttribute("notice", model.getAttribute("notice"));
		}
		return "redirect:/mail/" + mailboxes.getFirst().mailboxId();
	}

	@GetMapping("/mail/{mailboxId}")
	String mailbox(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "INBOX") String folder, @RequestParam(defaultValue = "1") int page,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String subject, @RequestParam(required = false) String body,
			@RequestParam(required = false) String since, @RequestParam(required = false) String before, Model model) {
		WebmailUser user = user(actor, request);
		MailboxEntry open = webmail.mailbox(user, mailboxId);
		if (!webmail.connected()) {
			return "redirect:/mail";
		}
		Search search = new Search(from, to, subject, body, date(since), date(before));
		aroundMailbox(webmail, user, open, folder, model);
		model.addAttribute("list", webmail.messages(user, mailboxId, folder, page, search));
		model.addAttribute("search", search);
		model.addAttribute("since", search.since() == null ? "" : search.since().toString());
		model.addAttribute("before", search.before() == null ? "" : search.before().toString());
		return "webmail/mail";
	}

	@GetMapping("/mail/{mailboxId}/messages/{uid}")
	String message(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId, @PathVariable long uid,
			@RequestParam(defaultValue = "INBOX") String folder, @RequestParam(defaultValue = "false") boolean images,
			Model model) {
		WebmailUser user = user(actor, request);
		// opened (and so marked read) first: the unread counts around it then count it read
		var message = webmail.message(user, mailboxId, folder, uid);
		aroundMailbox(webmail, user, webmail.mailbox(user, mailboxId), folder, model);
		model.addAttribute("message", message);
		model.addAttribute("images", images);
		model.addAttribute("bodyUrl", UriComponentsBuilder.fromPath("/mail/{m}/messages/{u}/body")
			.queryParam("folder", folder)
			.queryParam("images", images)
			.buildAndExpand(mailboxId, uid)
			.encode()
			.toUriString());
		return "webmail/message";
	}

	/** What every page of an open mailbox shows around its content: the switcher, the banner, the folders. */
	static void aroundMailbox(Webmail webmail, WebmailUser user, MailboxEntry open, String folder, Model model) {
		model.addAttribute("open", open);
		model.addAttribute("mailboxes", webmail.mailboxesWithUnread(user, open.mailboxId()));
		List<FolderEntry> folders = webmail.folders(user, open.mailboxId());
		String use = folders.stream()
			.filter(f -> f.name().equals(folder))
			.findFirst()
			.map(FolderEntry::specialUse)
			.orElse(null);
		model.addAttribute("folders", folders);
		model.addAttribute("folder", folder);
		// what the open folder is for: in Trash, Delete deletes for good; a message in Drafts is edited
		model.addAttribute("inTrash", "\\Trash".equals(use));
		model.addAttribute("inDrafts", "\\Drafts".equals(use));
		model.addAttribute("pollSeconds", webmail.pollSeconds());
	}

	/** The sanitised HTML body alone, for the message's sandboxed frame, under its own CSP. */
	@GetMapping("/mail/{mailboxId}/messages/{uid}/body")
	ResponseEntity<String> body(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@PathVariable long uid, @RequestParam(defaultValue = "INBOX") String folder,
			@RequestParam(defaultValue = "false") boolean images) {
		WebmailUser user = user(actor, request);
		String html = webmail.html(user, mailboxId, folder, uid, images)
			.map(Webmail.HtmlBody::html)
			.orElse("");
		String document = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\">"
				+ "<style>body{font-family:system-ui,sans-serif;margin:1rem;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>"
				+ "</head><body>" + html + "</body></html>";
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", images ? BODY_POLICY_WITH_IMAGES : BODY_POLICY)
			.header("X-Frame-Options", "SAMEORIGIN")
			.header("Referrer-Policy", "no-referrer")
			.header("X-Content-Type-Options", "nosniff")
			.body(document);
	}

	/** An attachment, always as a download: never rendered by the browser on the app's origin. */
	@GetMapping("/mail/{mailboxId}/messages/{uid}/parts/{path}")
	ResponseEntity<byte[]> part(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@PathVariable long uid, @PathVariable String path, @RequestParam(defaultValue = "INBOX") String folder) {
		PartContent part = webmail.part(user(actor, request), mailboxId, folder, uid, path);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.cacheControl(CacheControl.noStore())
			.header("Content-Disposition",
					ContentDisposition.attachment().filename(part.filename(), StandardCharsets.UTF_8).build().toString())
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "default-src 'none'; sandbox")
			.body(part.bytes());
	}

	private static WebmailUser user(Actor actor, HttpServletRequest request) {
		return WebmailRequests.user(actor, request);
	}

	private static LocalDate date(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return LocalDate.parse(value.strip());
		}
		catch (DateTimeParseException e) {
			// the form's date fields always send this form: anything else was typed into the URL
			throw new dev.mailroom.platform.MailroomException(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid_date",
					"Search dates are written like 2026-12-31");
		}
	}
}
