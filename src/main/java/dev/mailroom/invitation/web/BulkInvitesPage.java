package dev.mailroom.invitation.web;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.invitation.BulkInvite;
import dev.mailroom.invitation.BulkPreview;
import dev.mailroom.invitation.BulkSent;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.InviteList;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.FormValues;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.platform.web.SessionPreviews;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The bulk invite wizard: choose a domain, paste a list or upload a CSV, then a preview where
 * each row can be fixed (recipient, address) or removed in place and checked again; "Send"
 * stays disabled until every row checks out. As in {@code BulkCreatePage}, the rows wait in the
 * HTTP session under a random key between the steps (the preview is a GET of that key, so it
 * survives a reload), and they are removed once the batch is sent or cancelled. After sending,
 * the batch page shows the delivery of each invite live (htmx polling, stopped when no email is
 * queued or sending any more).
 */
@PageController
class BulkInvitesPage {

	private static final SessionPreviews<PendingBatch> PREVIEWS = new SessionPreviews<>("mailroom.bulk-invites.",
			PendingBatch.class,
			"This preview is no longer available (it was sent, cancelled or replaced by a newer list). Start again.");
	private static final Set<Integer> EXPIRIES = Set.of(720, 168, 72, 24);

	private final InvitationService invitations;
	private final DomainService domains;
	private final OrganizationService organizations;

	BulkInvitesPage(InvitationService invitations, DomainService domains, OrganizationService organizations) {
		this.invitations = invitations;
		this.domains = domains;
		this.organizations = organizations;
	}

	/** A recipient of the batch: {@code localPart} {@code null} derives it from the email. */
	record PendingRow(int line, String email, String localPart, Integer storageMb) implements Serializable {

		BulkInvite.Item toItem() {
			return new BulkInvite.Item(email, localPart, storageMb);
		}
	}

	/** A batch waiting for "Send". */
	record PendingBatch(UUID domainId, int expiresInHours, String language, String source, List<PendingRow> rows)
			implements Serializable {

		BulkInvite toBulkInvite() {
			return new BulkInvite(domainId, expiresInHours, language, rows.stream().map(PendingRow::toItem).toList(),
					BulkInvite.Source.UPLOAD);
		}

		PendingBatch withRows(List<PendingRow> changed) {
			return new PendingBatch(domainId, expiresInHours, language, source, List.copyOf(changed));
		}
	}

	/** A line of the list or file that cannot be used (kept for the next page as a flash attribute). */
	record Problem(int line, String message) implements Serializable {
	}

	/** Where a batch's emails are: counts per delivery state. */
	record Progress(int total, int queued, int sending, int sent, int failed) {

		public int done() {
			return sent + failed;
		}

		public int percent() {
			return total == 0 ? 100 : (int) Math.floor(100.0 * done() / total);
		}

		public boolean active() {
			return queued + sending > 0;
		}
	}

	@GetMapping("/mailboxes/invites/bulk")
	String wizard(Actor actor, @RequestParam(required = false) String key, HttpSession session, Model model,
			RedirectAttributes redirect) {
		if (actor.orgId() == null) {
			// a mailbox's own login manages no invites: its home is the account page
			return "redirect:/account";
		}
		model.addAttribute("maxRows", organizations.limits(actor.orgId()).invitesPerBatch());
		if (key == null || key.isBlank()) {
			model.addAttribute("domains", activeDomains(actor));
			return "invitation/bulk";
		}
		PendingBatch batch = PREVIEWS.find(session, key).orElse(null);
		if (batch == null) {
			redirect.addFlashAttribute("error", PREVIEWS.expiredMessage());
			return "redirect:/mailboxes/invites/bulk";
		}
		BulkPreview preview = invitations.preview(actor, batch.toBulkInvite());
		model.addAttribute("preview", preview);
		model.addAttribute("rows", batch.rows());
		model.addAttribute("batch", batch);
		model.addAttribute("key", key);
		model.addAttribute("domain", domainName(actor, batch.domainId()));
		model.addAttribute("bad", preview.items().stream().filter(i -> !i.errors().isEmpty()).count());
		return "invitation/bulk";
	}

	@PostMapping("/mailboxes/invites/bulk/preview")
	String preview(Actor actor, @RequestParam(name = "domain_id", required = false) UUID domainId,
			@RequestParam(required = false) String list, @RequestParam(required = false) MultipartFile file,
			@RequestParam(name = "expires_in_hours", required = false) Integer expiresInHours,
			@RequestParam(required = false) String language, HttpSession session, HttpServletRequest request,
			RedirectAttributes redirect) throws IOException {
		int maxRows = organizations.limits(actor.orgId()).invitesPerBatch();
		String fileName = file == null || file.getOriginalFilename() == null ? "" : file.getOriginalFilename();
		boolean upload = file != null && !file.isEmpty();
		boolean pasted = list != null && !list.isBlank();
		InviteList.Result parsed;
		if (upload && pasted) {
			parsed = new InviteList.Result(List.of(),
					List.of(new InviteList.Problem(0, "Paste a list or upload a file, not both")));
		}
		else if (upload) {
			parsed = InviteList.parse(file.getBytes(), maxRows);
		}
		else if (pasted) {
			parsed = InviteList.parse(list, maxRows);
		}
		else {
			parsed = new InviteList.Result(List.of(), List.of(new InviteList.Problem(0,
					fileName.isBlank() ? "Paste at least one email, or choose a CSV file to upload"
							: fileName + " is empty")));
		}
		if (!parsed.ok()) {
			List<Problem> problems = parsed.problems().isEmpty()
					? List.of(new Problem(0, "No recipients found: one email per line"))
					: parsed.problems().stream().map(p -> new Problem(p.line(), p.message())).toList();
			redirect.addFlashAttribute("problems", problems);
			redirect.addFlashAttribute("problemSource", upload ? (fileName.isBlank() ? "The file" : fileName) : "The list");
			redirect.addFlashAttribute("form", FormValues.of(request.getParameterMap()));
			return "redirect:/mailboxes/invites/bulk";
		}
		int hours = expiresInHours != null && EXPIRIES.contains(expiresInHours) ? expiresInHours
				: InvitationService.DEFAULT_HOURS;
		String lang = language != null && InvitationService.LANGUAGES.contains(language) ? language : "en";
		PendingBatch batch = new PendingBatch(domainId, hours, lang, upload ? fileName : "",
				parsed.rows().stream().map(r -> new PendingRow(r.line(), r.email(), null, r.storageMb())).toList());
		// refused as a whole (no domain, too many rows…)? PageAdvice brings the form back with the message
		invitations.preview(actor, batch.toBulkInvite());
		return "redirect:/mailboxes/invites/bulk?key=" + PREVIEWS.keep(session, batch);
	}

	/**
	 * The preview's form: the rows as edited ({@code row}, {@code email}, {@code local_part},
	 * {@code shown} — the address part shown, so an unchanged derived one stays derived), then
	 * "Remove" one row, "Check again", or "Send".
	 */
	@PostMapping("/mailboxes/invites/bulk/check")
	String check(Actor actor, @RequestParam String key, @RequestParam(required = false) Integer remove,
			@RequestParam(required = false) String action, HttpSession session, HttpServletRequest request,
			RedirectAttributes redirect) {
		PendingBatch batch = PREVIEWS.require(session, key);
		PendingBatch edited = batch.withRows(edits(batch, request, remove));
		if (edited.rows().isEmpty()) {
			PREVIEWS.remove(session, key);
			redirect.addFlashAttribute("notice", "All rows were removed. Nothing was sent.");
			return "redirect:/mailboxes/invites/bulk";
		}
		PREVIEWS.replace(session, key, edited);
		if (remove != null && remove >= 0 && remove < batch.rows().size()) {
			redirect.addFlashAttribute("notice", batch.rows().get(remove).email() + " was removed from the batch.");
		}
		if (!"send".equals(action)) {
			return "redirect:/mailboxes/invites/bulk?key=" + key;
		}
		BulkSent sent;
		try {
			sent = invitations.sendBulk(actor, edited.toBulkInvite());
		}
		catch (MailroomException e) {
			if (!"validation_failed".equals(e.code())) {
				throw e;
			}
			redirect.addFlashAttribute("error", "Nothing was sent: some rows need attention (see below).");
			return "redirect:/mailboxes/invites/bulk?key=" + key;
		}
		PREVIEWS.remove(session, key);
		int count = sent.invites().size();
		redirect.addFlashAttribute("notice", count + (count == 1 ? " invite was" : " invites were")
				+ " created. The emails are on their way.");
		return "redirect:/mailboxes/invites/batches/" + sent.batchId();
	}

	@PostMapping("/mailboxes/invites/bulk/cancel")
	String cancel(@RequestParam String key, HttpSession session, RedirectAttributes redirect) {
		PREVIEWS.remove(session, key);
		redirect.addFlashAttribute("notice", "Cancelled. Nothing was sent.");
		return "redirect:/mailboxes/invites/bulk";
	}

	@GetMapping("/mailboxes/invites/batches/{batchId}")
	String batch(Actor actor, @PathVariable UUID batchId, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		progress(actor, batchId, model);
		return "invitation/bulk-batch";
	}

	/** The live part of the batch page (htmx, every second while emails are queued or sending). */
	@GetMapping("/mailboxes/invites/batches/{batchId}/progress")
	String batchProgress(Actor actor, @PathVariable UUID batchId, Model model) {
		progress(actor, batchId, model);
		return "invitation/bulk-batch :: progress";
	}

	private void progress(Actor actor, UUID batchId, Model model) {
		List<InviteView> invites = invitesOf(actor, batchId);
		int queued = 0;
		int sending = 0;
		int sent = 0;
		int failed = 0;
		for (InviteView invite : invites) {
			String status = invite.delivery() == null ? "queued" : invite.delivery().status();
			switch (status) {
				case "sent" -> sent++;
				case "failed" -> failed++;
				case "sending" -> sending++;
				default -> queued++;
			}
		}
		model.addAttribute("batchId", batchId);
		model.addAttribute("invites", invites);
		model.addAttribute("domain", domainName(actor, invites.getFirst().domainId()));
		model.addAttribute("progress", new Progress(invites.size(), queued, sending, sent, failed));
	}

	private List<InviteView> invitesOf(Actor actor, UUID batchId) {
		List<InviteView> invites = invitations.list(actor, null, null, batchId, PageRequest.first(500)).items();
		if (invites.isEmpty()) {
			throw MailroomException.notFound("batch");
		}
		return invites;
	}

	/** The rows as the person left them in the preview's form; {@code remove} (an index) dropped. */
	private static List<PendingRow> edits(PendingBatch batch, HttpServletRequest request, Integer remove) {
		String[] rows = values(request, "row");
		String[] emails = values(request, "email");
		String[] localParts = values(request, "local_part");
		String[] shown = values(request, "shown");
		List<PendingRow> result = new ArrayList<>();
		boolean[] seen = new boolean[batch.rows().size()];
		for (int i = 0; i < rows.length; i++) {
			int index;
			try {
				index = Integer.parseInt(rows[i].strip());
			}
			catch (NumberFormatException e) {
				continue;
			}
			if (index < 0 || index >= batch.rows().size() || seen[index]) {
				continue;
			}
			seen[index] = true;
			if (remove != null && remove == index) {
				continue;
			}
			PendingRow row = batch.rows().get(index);
			String email = i < emails.length ? emails[i].strip() : row.email();
			String localPart = i < localParts.length ? localParts[i].strip() : "";
			String before = i < shown.length ? shown[i].strip() : "";
			// an address part left as derived follows the (maybe edited) email; a typed one is kept
			String kept = localPart.isEmpty() || (row.localPart() == null && localPart.equals(before)) ? null : localPart;
			result.add(new PendingRow(row.line(), email.isEmpty() ? row.email() : email, kept, row.storageMb()));
		}
		return result;
	}

	private static String[] values(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return values == null ? new String[0] : values;
	}

	private List<DomainView> activeDomains(Actor actor) {
		return domains.list(actor, "active", PageRequest.first(PageRequest.MAX_LIMIT)).items();
	}

	private String domainName(Actor actor, UUID domainId) {
		return domains.list(actor, null, PageRequest.first(PageRequest.MAX_LIMIT))
			.items()
			.stream()
			.filter(d -> d.id().equals(domainId))
			.map(DomainView::name)
			.findFirst()
			.orElse("");
	}


}
