package dev.mailroom.mailbox.web;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.mailbox.MailboxCsv;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.NewMailbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.platform.web.SessionPreviews;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Bulk create from a CSV file: upload, a preview (per-row problems and the room left on the
 * domain and in the pool), then create all or nothing. Between the preview and the create the
 * parsed rows wait in the HTTP session under a random key, never in the page; the passwords among
 * them only sealed, with a key that lives in the page's Create form alone ({@link PreviewSeal}),
 * since the session is a row in the database. They are removed as soon as the batch is created or
 * cancelled, and a new upload replaces an older one. The generated passwords and recovery codes
 * are shown once, in the answer to the create request.
 */
@PageController
class BulkCreatePage {

	private static final SessionPreviews<PendingBatch> PREVIEWS = new SessionPreviews<>("mailroom.bulk-create.",
			PendingBatch.class, "This preview is no longer available (it was used, cancelled or replaced by a newer "
					+ "upload). Upload the file again.");

	private final MailboxService mailboxes;
	private final DomainService domains;

	BulkCreatePage(MailboxService mailboxes, DomainService domains) {
		this.mailboxes = mailboxes;
		this.domains = domains;
	}

	/** A parsed CSV row, kept in the session between the preview and the create (without its password). */
	record PendingRow(int line, String localPart, Integer storageMb) implements Serializable {

		NewMailbox toNewMailbox(UUID domainId, String password) {
			return new NewMailbox(domainId, localPart, password, storageMb, null);
		}
	}

	/** An uploaded batch waiting for "Create": the rows, and their passwords sealed in row order. */
	record PendingBatch(UUID domainId, String fileName, List<PendingRow> rows, byte[] sealedPasswords)
			implements Serializable {

		List<NewMailbox> items(List<String> passwords) {
			return java.util.stream.IntStream.range(0, rows.size())
				.mapToObj(i -> rows.get(i).toNewMailbox(domainId, passwords.get(i)))
				.toList();
		}
	}

	@GetMapping("/mailboxes/bulk")
	String form(Actor actor, Model model) {
		if (actor.orgId() == null) {
			// a mailbox's own login manages no mailboxes: its home is the account page
			return "redirect:/account";
		}
		return upload(actor, model);
	}

	@PostMapping("/mailboxes/bulk")
	String preview(Actor actor, @RequestParam(name = "domain_id", required = false) UUID domainId,
			@RequestParam(required = false) MultipartFile file, HttpSession session, Model model) throws IOException {
		String fileName = file == null || file.getOriginalFilename() == null ? "" : file.getOriginalFilename();
		model.addAttribute("fileName", fileName);
		model.addAttribute("selectedDomain", domainId);
		MailboxCsv.Result csv = file == null || (file.isEmpty() && fileName.isBlank())
				? new MailboxCsv.Result(List.of(), List.of(new MailboxCsv.Problem(0, "Choose a CSV file to upload")))
				: MailboxCsv.parse(file.getBytes());
		if (!csv.problems().isEmpty()) {
			model.addAttribute("problems", csv.problems());
			return upload(actor, model);
		}
		List<String> passwords = csv.rows().stream().map(MailboxCsv.Row::password).toList();
		PreviewSeal.Sealed sealed = PreviewSeal.seal(passwords);
		PendingBatch batch = new PendingBatch(domainId, fileName, csv.rows()
			.stream()
			.map(row -> new PendingRow(row.line(), row.localPart(), row.storageMb()))
			.toList(), sealed.box());
		model.addAttribute("preview", mailboxes.previewBulk(actor, domainId, batch.items(passwords)));
		model.addAttribute("rows", batch.rows());
		model.addAttribute("key", PREVIEWS.keep(session, batch));
		model.addAttribute("seal", sealed.key());
		model.addAttribute("domain", domainName(actor, domainId));
		return "mailbox/bulk";
	}

	@PostMapping("/mailboxes/bulk/create")
	String create(Actor actor, @RequestParam String key, @RequestParam(name = "preview_secret", required = false) String seal,
			HttpSession session, Model model) {
		PendingBatch batch = PREVIEWS.take(session, key);
		List<String> passwords = PreviewSeal.open(batch.sealedPasswords(), seal)
			.filter(p -> p.size() == batch.rows().size())
			.orElseThrow(() -> new MailroomException(HttpStatus.CONFLICT, "preview_expired", PREVIEWS.expiredMessage()));
		model.addAttribute("created", mailboxes.createBulk(actor, batch.domainId(), batch.items(passwords)));
		return "mailbox/bulk-created";
	}

	@PostMapping("/mailboxes/bulk/cancel")
	String cancel(@RequestParam String key, HttpSession session, RedirectAttributes redirect) {
		PREVIEWS.remove(session, key);
		redirect.addFlashAttribute("notice", "Cancelled. Nothing was created.");
		return "redirect:/mailboxes/bulk";
	}

	private String upload(Actor actor, Model model) {
		model.addAttribute("domains", activeDomains(actor));
		return "mailbox/bulk";
	}

	private List<DomainView> activeDomains(Actor actor) {
		return domains.list(actor, "active", PageRequest.first(PageRequest.MAX_LIMIT)).items();
	}

	private String domainName(Actor actor, UUID domainId) {
		return activeDomains(actor).stream()
			.filter(d -> d.id().equals(domainId))
			.map(DomainView::name)
			.findFirst()
			.orElse("");
	}


}
