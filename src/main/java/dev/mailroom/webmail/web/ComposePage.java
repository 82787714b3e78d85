package dev.mailroom.webmail.web;

import java.io.IOException;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.FormValues;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.webmail.Composer;
import dev.mailroom.webmail.Webmail;
import dev.mailroom.webmail.WebmailUser;
import dev.mailroom.webmail.WebmailViews.Draft;
import dev.mailroom.webmail.WebmailViews.MailboxEntry;
import dev.mailroom.webmail.WebmailViews.Original;
import dev.mailroom.webmail.WebmailViews.Upload;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Writing mail from the open mailbox: a new message, a reply, a reply to all, a forward or a saved
 * draft; sending it, saving it as a draft, and the draft saved as the person types (htmx). A
 * read-only mailbox offers no form; a send forged anyway is refused by the mail plane.
 */
@PageController
class ComposePage {

	private static final DateTimeFormatter SAVED_AT = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final Webmail webmail;
	private final Composer composer;

	ComposePage(Webmail webmail, Composer composer) {
		this.webmail = webmail;
		this.composer = composer;
	}

	@GetMapping("/mail/{mailboxId}/compose")
	String compose(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(required = false) String mode, @RequestParam(defaultValue = "INBOX") String folder,
			@RequestParam(required = false) Long reply, @RequestParam(required = false) Long draft, Model model) {
		WebmailUser user = WebmailRequests.user(actor, request);
		MailboxEntry open = webmail.mailbox(user, mailboxId);
		if (!webmail.connected()) {
			return "redirect:/mail";
		}
		if (open.readOnly()) {
			throw Webmail.readOnly(open.address());
		}
		Composer.Mode how = draft != null ? Composer.Mode.DRAFT : Composer.Mode.of(mode);
		Draft start = model.getAttribute("form") instanceof FormValues typed && !typed.values().isEmpty() ? draft(typed)
				: composer.start(user, mailboxId, how, folder, draft != null ? draft : reply);
		MailPage.aroundMailbox(webmail, user, open, folder, model);
		model.addAttribute("draft", start);
		model.addAttribute("mode", how.name().toLowerCase().replace('_', '-'));
		long limit = composer.messageSizeLimit();
		// base64 makes attachments a third larger on the wire than on disk
		model.addAttribute("attachmentLimitMb", limit > 0 ? Math.max(1, limit * 3 / 4 / (1024 * 1024)) : null);
		return "webmail/compose";
	}

	@PostMapping("/mail/{mailboxId}/compose")
	String send(Actor actor, HttpServletRequest request, @PathVariable UUID mailboxId,
			@RequestParam(defaultValue = "send") String action, @RequestParam(defaultValue = "INBOX") String folder,
			@RequestParam(name = "attachments", required = false) List<MultipartFile> files, RedirectAttributes redirect) {
		WebmailUser user = WebmailRequests.user(actor, request);
		Draft draft = draft(FormValues.of(request.getParameterMap()));
		List<Upload> uploads = uploads(files);
		if (action.equals("save")) {
			long uid = composer.saveDraft(user, mailboxId, draft, uploads);
			redirect.addFlashAttribute("notice", "Draft saved");
			return "redirect:" + UriComponentsBuilder.fromPath("/mail/{id}/compose")
				.queryParam("draft", uid)
				.buildAndExpand(mailboxId)
				.toUriString();
		}
		Composer.Sent sent = composer.send(user, mailboxId, draft, uploads);
		redirect.addFlashAttribute("notice", (sent.recipients() == 1 ? "Message sent" : "Message sent to " + sent.recipients()
				+ " recipients") + (sent.copySaved() ? "" : " — its copy could not be saved in Sent"));
		return "redirect:" + UriComponentsBuilder.fromPath("/mail/{id}")
			.queryParam("folder", folder)
			.buildAndExpand(mailboxId)
			.encode()
			.toUriString();
	}

	/** The draft saved as the person types (htmx): its new UID goes back into the form and the URL. */
	@PostMapping("/mail/{mailboxId}/drafts")
	String autosave(Actor actor, HttpServletRequest request, HttpServletResponse response, @PathVariable UUID mailboxId,
			Model model) {
		WebmailUser user = WebmailRequests.user(actor, request);
		long uid = composer.saveDraft(user, mailboxId, draft(FormValues.of(request.getParameterMap())), List.of());
		response.setHeader("HX-Replace-Url",
				UriComponentsBuilder.fromPath("/mail/{id}/compose").queryParam("draft", uid).buildAndExpand(mailboxId).toUriString());
		model.addAttribute("draftUid", uid);
		model.addAttribute("savedAt", LocalTime.now(ZoneOffset.UTC).format(SAVED_AT));
		return "webmail/compose :: saved";
	}

	private static Draft draft(FormValues form) {
		return new Draft(form.get("to"), form.get("cc"), form.get("bcc"), form.get("subject"), form.get("text"),
				blankToNull(form.get("html")), blankToNull(form.get("in_reply_to")), blankToNull(form.get("references")),
				number(form.get("draft_uid")), Original.of(form.get("answering_folder"), number(form.get("answering_uid"))),
				Original.of(form.get("forwarding_folder"), number(form.get("forwarding_uid"))));
	}

	private static List<Upload> uploads(List<MultipartFile> files) {
		List<Upload> uploads = new ArrayList<>();
		if (files == null) {
			return uploads;
		}
		for (MultipartFile file : files) {
			if (file.isEmpty()) {
				continue;
			}
			String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "attachment"
					: file.getOriginalFilename().replaceAll("[\\p{Cntrl}/\\\\]", "_");
			String type = file.getContentType() == null || !file.getContentType().matches("[\\w.+-]+/[\\w.+-]+")
					? "application/octet-stream" : file.getContentType();
			try {
				uploads.add(new Upload(name, type, file.getBytes()));
			}
			catch (IOException e) {
				throw MailroomException.invalid("attachments", "invalid_attachment", "The file " + name + " could not be read");
			}
		}
		return uploads;
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private static Long number(String value) {
		try {
			return value == null || value.isBlank() ? null : Long.valueOf(value.strip());
		}
		catch (NumberFormatException e) {
			throw MailroomException.invalid("draft_uid", "invalid_value", "This value is not valid");
		}
	}
}
