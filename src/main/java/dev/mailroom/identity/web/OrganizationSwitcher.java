package dev.mailroom.identity.web;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.SessionSignIn;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** People who belong to several organizations move their session to another one. */
@PageController
class OrganizationSwitcher {

	private final IdentityService identity;
	private final SessionSignIn sessions;

	OrganizationSwitcher(IdentityService identity, SessionSignIn sessions) {
		this.identity = identity;
		this.sessions = sessions;
	}

	@PostMapping("/organizations/switch")
	String switchTo(Actor actor, @RequestParam("organization_id") UUID orgId, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirect) {
		sessions.switchOrganization(actor, orgId, request, response);
		identity.memberships(actor.userId())
			.stream()
			.filter(m -> m.orgId().equals(orgId))
			.findFirst()
			.ifPresent(m -> redirect.addFlashAttribute("notice", "You are now working in " + m.organizationName() + "."));
		return "redirect:/dashboard";
	}
}
