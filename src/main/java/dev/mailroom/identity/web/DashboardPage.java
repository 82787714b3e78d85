package dev.mailroom.identity.web;

import java.util.Map;

import dev.mailroom.domains.DomainService;
import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in home: the organization, its plan, and what is set up so far. */
@PageController
class DashboardPage {

	private final OrganizationService organizations;
	private final DomainService domains;
	private final ApiKeyService keys;

	DashboardPage(OrganizationService organizations, DomainService domains, ApiKeyService keys) {
		this.organizations = organizations;
		this.domains = domains;
		this.keys = keys;
	}

	@GetMapping("/dashboard")
	String dashboard(Actor actor, Model model) {
		if (actor.orgId() == null) {
			// a mailbox's own login has no organization to manage: its home is the account page
			return "redirect:/account";
		}
		model.addAttribute("organization",
				organizations.find(actor.orgId()).orElseThrow(() -> MailroomException.notFound("Organization")));
		Map<String, Long> counts = domains.countByStatus(actor);
		model.addAttribute("activeDomains", counts.getOrDefault("active", 0L));
		model.addAttribute("pendingDomains", counts.getOrDefault("pending", 0L));
		model.addAttribute("apiKeys", keys.list(actor).size());
		return "identity/dashboard";
	}
}
