package dev.mailroom.invitation.web;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.invitation.BulkOutcome;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.invitation.SendSetupInvite;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.PageController;
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
 * Mailbox setup invites of the organization: "Invite owner" (the new link is shown once in the
 * answer, with a Copy button), and the list with its per-row actions — Resend, Edit recipient
 * ("Update &amp; Resend"), Cancel (with confirmation), Copy link (the current one, fetched by htmx,
 * not rotated) — and the bulk actions with their outcome per invite.
 */
@PageController
class InvitesPage {

	static final Set<String> STATUSES = Set.of("pending", "accepted", "expired", "canceled");

	private final InvitationService invitations;
	private final DomainService domains;

	InvitesPage(InvitationService invitations, DomainService domains) {
		this.invitations = invitations;
		this.domains = domains;
	}

	record SendForm(@BindParam("domain_id") UUID domainId,
			@BindParam("recipient_email") @Size(max = 254, message = "Use at most 254 characters") String recipientEmail,
			@BindParam("local_part") @Size(max = 200, message = "Use at most 64 characters") String localPart,
			@BindParam("storage_allocation_mb") Integer storageMb, @BindParam("expires_in_hours") Integer expiresInHours,
			@Size(max = 10) String language) {

		SendSetupInvite toCommand() {
			return new SendSetupInvite(domainId, recipientEmail, localPart == null || localPart.isBlank() ? null : localPart,
					storageMb, expiresInHours, language);
		}
	}

	record ReaddressForm(
			@BindParam("recipient_email") @Size(max = 254, message = "Use at most 254 characters") String recipientEmail) {
	}

	record BulkForm(@Size(max = 100, message = "Choose at most 100 invites at once") List<UUID> ids, String action) {
	}

	/** One line of a bulk action's outcome (kept for the next page as a flash attribute). */
	record BulkLine(String recipient, boolean done, String text) implements Serializable {
	}

	/** A bulk action's outcome: what was asked, and each invite's result. */
	record BulkResult(String action, int done, List<BulkLine> lines) implements Serializable {
	}

	@GetMapping("/mailboxes/invites")
	String list(Actor actor, @RequestParam(required = false) String status, @RequestParam(required = false) String cursor,
			@RequestParam(name = "batch_id", required = false) UUID batchId, Model model) {
		if (actor.orgId() == null) {
			// a mailbox's own login manages no invites: its home is the account page
			return "redirect:/account";
		}
		return page(actor, status != null && STATUSES.contains(status) ? status : null, batchId, cursor, model);
	}

	@PostMapping("/mailboxes/invites")
	String send(Actor actor, @Valid SendForm form, Model model) {
		SentInvite sent = invitations.send(actor, form.toCommand());
		model.addAttribute("sent", sent);
		return page(actor, null, null, null, model);
	}

	@PostMapping("/mailboxes/invites/{id}/resend")
	String resend(Actor actor, @PathVariable UUID id, @RequestParam(required = false) String back,
			RedirectAttributes redirect) {
		SentInvite sent = invitations.resend(actor, id);
		redirect.addFlashAttribute("notice", "A new invitation was sent to " + sent.invite().recipientEmail()
				+ ". The link sent before no longer works.");
		return back(back);
	}

	@PostMapping("/mailboxes/invites/{id}/recipient")
	String readdress(Actor actor, @PathVariable UUID id, @Valid ReaddressForm form,
			@RequestParam(required = false) String back, RedirectAttributes redirect) {
		String previous = invitations.get(actor, id).recipientEmail();
		SentInvite sent = invitations.readdress(actor, id, form.recipientEmail());
		redirect.addFlashAttribute("notice", "The invite now goes to " + sent.invite().recipientEmail()
				+ ": a new link was sent, and the link sent to " + previous + " no longer works.");
		return back(back);
	}

	@PostMapping("/mailboxes/invites/{id}/cancel")
	String cancel(Actor actor, @PathVariable UUID id, @RequestParam(required = false) String back,
			RedirectAttributes redirect) {
		InviteView canceled = invitations.cancel(actor, id);
		redirect.addFlashAttribute("notice", "The invite to " + canceled.recipientEmail()
				+ " was canceled. Its link no longer works and no mailbox will be created.");
		return back(back);
	}

	/** Back to the Invites page, or to the Mailboxes list the action was taken from. */
	private static String back(String back) {
		return "mailboxes".equals(back) ? "redirect:/mailboxes" : "redirect:/mailboxes/invites";
	}

	/** The current link, not rotated: a fragment with the link and a Copy button (htmx). */
	@GetMapping("/mailboxes/invites/{id}/link")
	String link(Actor actor, @PathVariable UUID id, Model model) {
		model.addAttribute("inviteId", id);
		model.addAttribute("link", invitations.currentLink(actor, id));
		return "invitation/invites :: link";
	}

	@PostMapping("/mailboxes/invites/bulk")
	String bulk(Actor actor, @Valid BulkForm form, RedirectAttributes redirect) {
		boolean resend = "resend".equals(form.action());
		if (!resend && !"cancel".equals(form.action())) {
			throw MailroomException.invalid("action", "required", "Choose a bulk action: Resend invites or Cancel invites");
		}
		if (form.ids() == null || form.ids().isEmpty()) {
			throw MailroomException.invalid("ids", "required", "Select the invites to " + (resend ? "resend" : "cancel") + " first");
		}
		Map<UUID, String> recipients = new LinkedHashMap<>();
		for (UUID id : form.ids()) {
			recipients.put(id, recipientOf(actor, id));
		}
		List<BulkOutcome> outcomes = resend ? invitations.bulkResend(actor, form.ids())
				: invitations.bulkCancel(actor, form.ids());
		List<BulkLine> lines = new ArrayList<>();
		int done = 0;
		for (BulkOutcome outcome : outcomes) {
			boolean ok = outcome.errorCode() == null;
			done += ok ? 1 : 0;
			lines.add(new BulkLine(recipients.getOrDefault(outcome.id(), outcome.id().toString()), ok,
					ok ? (resend ? "Resent — the previous link no longer works" : "Canceled")
							: refusal(outcome.errorCode())));
		}
		redirect.addFlashAttribute("bulk", new BulkResult(resend ? "resend" : "cancel", done, List.copyOf(lines)));
		return "redirect:/mailboxes/invites";
	}

	/** Why an invite of a bulk action was refused, in the words of the page. */
	static String refusal(String code) {
		return switch (code) {
			case "plan_limit_reached" -> "Plan limit reached — upgrade your plan or delete unused mailboxes";
			case "storage_pool_exceeded" -> "Not enough storage left in your pool for its dedicated allocation";
			case "invite_not_pending" -> "Not pending any more: it was accepted or canceled";
			case "already_invited" -> "Another pending invite already goes to this address";
			case "domain_not_active" -> "Its domain is not active any more";
			case "forbidden" -> "Sent by another member of your team";
			case "not_found" -> "Not found (it may have been removed)";
			default -> "Refused (" + code.replace('_', ' ') + ")";
		};
	}

	private String recipientOf(Actor actor, UUID id) {
		try {
			return invitations.get(actor, id).recipientEmail();
		}
		catch (MailroomException e) {
			// the action itself reports why; the line then names the id
			return id.toString();
		}
	}

	private String page(Actor actor, String status, UUID batchId, String cursor, Model model) {
		Map<UUID, String> domainNames = new LinkedHashMap<>();
		List<DomainView> active = new ArrayList<>();
		for (DomainView domain : domains.list(actor, null, PageRequest.first(PageRequest.MAX_LIMIT)).items()) {
			domainNames.put(domain.id(), domain.name());
			if (domain.active()) {
				active.add(domain);
			}
		}
		Page<InviteView> page = invitations.list(actor, status, null, batchId, PageRequest.of(null, cursor));
		model.addAttribute("batchId", batchId);
		model.addAttribute("page", page);
		model.addAttribute("status", status);
		model.addAttribute("paged", cursor != null && !cursor.isBlank());
		model.addAttribute("domains", active);
		model.addAttribute("domainNames", domainNames);
		return "invitation/invites";
	}
}
