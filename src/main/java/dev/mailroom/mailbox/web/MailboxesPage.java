package dev.mailroom.mailbox.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.identity.IdentityService;
import dev.mailroom.mailbox.MailboxListItem;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.mailbox.NewMailbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomSettings;
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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The mailboxes of the organization: create one directly (regular, or the form for a shared one,
 * which the sharing module's pages receive), the list (search, filters — all, active, setup pending,
 * archived, shared —, status and shared badges, pool usage; pending setup invites are rows of their
 * own, with the Invites page's actions), the per-row actions and the recycle bin. What is shown only once — a
 * generated password, a recovery code — is rendered straight into the answer to the request
 * that made it and never kept anywhere (not in the session, not as a flash attribute).
 */
@PageController
class MailboxesPage {

	private final MailboxService mailboxes;
	private final DomainService domains;
	private final MailroomSettings settings;
	private final IdentityService identity;

	MailboxesPage(MailboxService mailboxes, DomainService domains, MailroomSettings settings, IdentityService identity) {
		this.mailboxes = mailboxes;
		this.domains = domains;
		this.settings = settings;
		this.identity = identity;
	}

	record CreateMailboxForm(@BindParam("domain_id") UUID domainId,
			@BindParam("local_part") @Size(max = 200, message = "Use at most 64 characters") String localPart,
			@BindParam("display_name") @Size(max = 200, message = "Use at most 200 characters") String displayName,
			@BindParam("credentials") String passwordChoice,
			@Size(max = 200, message = "Use at most 128 characters") String password,
			@BindParam("storage_allocation_mb") Integer storageMb) {

		NewMailbox toNewMailbox() {
			boolean generate = !"set".equals(passwordChoice);
			return new NewMailbox(domainId, localPart, generate ? null : (password == null ? "" : password), storageMb,
					displayName);
		}
	}

	/** The list's filters as the page's query string has them; blank means "any". */
	record Filters(String q, UUID domain, String status, String cursor) {

		boolean any() {
			return (q != null && !q.isBlank()) || domain != null
					|| (status != null && !status.isBlank() && !status.equals("trashed"));
		}

		/** This list (same filters) from {@code nextCursor}, or from its start when {@code null}. */
		String url(String nextCursor) {
			boolean bin = "trashed".equals(status);
			UriComponentsBuilder url = UriComponentsBuilder.fromPath(bin ? "/mailboxes/recycle-bin" : "/mailboxes");
			if (q != null && !q.isBlank()) {
				url.queryParam("q", q);
			}
			if (domain != null) {
				url.queryParam("domain", domain);
			}
			if (!bin && status != null && !status.isBlank()) {
				url.queryParam("status", status);
			}
			if (nextCursor != null) {
				url.queryParam("cursor", nextCursor);
			}
			return url.encode().build().toUriString();
		}

		String statusOrNull() {
			return status == null || status.isBlank() ? null : status;
		}
	}

	@GetMapping("/mailboxes")
	String list(Actor actor, @RequestParam(required = false) String q, @RequestParam(required = false) UUID domain,
			@RequestParam(required = false) String status, @RequestParam(required = false) String cursor, Model model) {
		if (actor.orgId() == null) {
			// a mailbox's own login manages no mailboxes: its home is the account page
			return "redirect:/account";
		}
		return page(actor, new Filters(q, domain, status, cursor), model);
	}

	@GetMapping("/mailboxes/recycle-bin")
	String recycleBin(Actor actor, @RequestParam(required = false) String q,
			@RequestParam(required = false) UUID domain, @RequestParam(required = false) String cursor, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		return page(actor, new Filters(q, domain, "trashed", cursor), model);
	}

	@PostMapping("/mailboxes")
	String create(Actor actor, @Valid CreateMailboxForm form, Model model) {
		model.addAttribute("created", mailboxes.create(actor, form.toNewMailbox()));
		return page(actor, new Filters(null, null, null, null), model);
	}

	@PostMapping("/mailboxes/{id}/archive")
	String archive(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		MailboxView mailbox = mailboxes.archive(actor, id);
		redirect.addFlashAttribute("notice",
				mailbox.address() + " is archived: it cannot sign in or receive mail until you unarchive it.");
		return "redirect:/mailboxes";
	}

	@PostMapping("/mailboxes/{id}/unarchive")
	String unarchive(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		MailboxView mailbox = mailboxes.unarchive(actor, id);
		redirect.addFlashAttribute("notice", mailbox.address() + " is active again.");
		return "redirect:/mailboxes";
	}

	@PostMapping("/mailboxes/{id}/delete")
	String delete(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		MailboxView mailbox = mailboxes.get(actor, id);
		mailboxes.delete(actor, id);
		redirect.addFlashAttribute("notice", mailbox.address() + " was moved to the recycle bin. You can restore it there for "
				+ settings.trashRetentionDays() + " days.");
		return "redirect:/mailboxes";
	}

	@PostMapping("/mailboxes/{id}/restore")
	String restore(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		MailboxView mailbox = mailboxes.restore(actor, id);
		redirect.addFlashAttribute("notice", mailbox.address() + " was restored and is active again.");
		return "redirect:/mailboxes/recycle-bin";
	}

	/** Generates a new password and shows it once in the answer. */
	@PostMapping("/mailboxes/{id}/reset-password")
	String resetPassword(Actor actor, @PathVariable UUID id, Model model) {
		Optional<String> generated = mailboxes.resetPassword(actor, id, null);
		model.addAttribute("reset", new PasswordReset(mailboxes.get(actor, id).address(), generated.orElse(null)));
		return page(actor, new Filters(null, null, null, null), model);
	}

	record PasswordReset(String address, String password) {
	}

	private String page(Actor actor, Filters filters, Model model) {
		List<DomainView> activeDomains = domains.list(actor, "active", PageRequest.first(PageRequest.MAX_LIMIT)).items();
		boolean bin = "trashed".equals(filters.status());
		model.addAttribute("filters", filters);
		model.addAttribute("bin", bin);
		model.addAttribute("domains", activeDomains);
		// the filters: all (with pending setups), active, pending, archived, shared; the bin
		String status = filters.statusOrNull();
		String kind = "shared".equals(status) ? "shared" : null;
		String listed = "pending".equals(status) ? "setup_pending" : "shared".equals(status) ? null : status;
		Page<MailboxListItem> page = mailboxes.listWithPending(actor, filters.domain(), kind, listed, filters.q(),
				PageRequest.of(null, filters.cursor()));
		List<MailboxView> shown = page.items().stream().filter(r -> !r.isPending()).map(MailboxListItem::mailbox).toList();
		model.addAttribute("page", page);
		model.addAttribute("domainNames",
				activeDomains.stream().collect(Collectors.toMap(DomainView::id, DomainView::name, (a, b) -> a)));
		model.addAttribute("creators", creators(actor, shown));
		model.addAttribute("filtered", filters.any());
		model.addAttribute("firstPageUrl", filters.url(null));
		model.addAttribute("nextPageUrl", page.nextCursor() == null ? null : filters.url(page.nextCursor()));
		model.addAttribute("usage", mailboxes.usage(actor));
		model.addAttribute("mailPlaneConnected", mailboxes.mailPlaneConnected());
		model.addAttribute("storageUsed", bin ? Map.of() : mailboxes.storageUsed(shown));
		model.addAttribute("retentionDays", settings.trashRetentionDays());
		model.addAttribute("teamCandidates", bin || activeDomains.isEmpty() ? List.of() : teamCandidates(actor));
		return "mailbox/index";
	}

	/**
	 * The emails of the people who created rows the viewer did not (a team's owner sees who made
	 * each member's mailbox), by user id.
	 */
	private Map<UUID, String> creators(Actor actor, List<MailboxView> rows) {
		Set<UUID> others = rows.stream()
			.map(MailboxView::ownerUserId)
			.filter(id -> id != null && !id.equals(actor.userId()))
			.collect(Collectors.toSet());
		Map<UUID, String> emails = new HashMap<>();
		identity.users(others).forEach((id, user) -> emails.put(id, user.email()));
		return emails;
	}

	/** Who may be on a new shared mailbox's team: the active regular mailboxes, on any domain, by address. */
	private List<MailboxView> teamCandidates(Actor actor) {
		List<MailboxView> all = new ArrayList<>();
		String cursor = null;
		for (int pages = 0; pages < 10; pages++) {
			Page<MailboxView> page = mailboxes.list(actor, null, "regular", "active", null,
					PageRequest.of(PageRequest.MAX_LIMIT, cursor));
			all.addAll(page.items());
			cursor = page.nextCursor();
			if (cursor == null) {
				break;
			}
		}
		all.sort(Comparator.comparing(MailboxView::address));
		return all;
	}
}
