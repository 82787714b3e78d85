package dev.mailroom.identity.web;

import java.util.List;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every page the organizations the signed-in person belongs to, for the switcher in the top bar. */
@ControllerAdvice(annotations = PageController.class)
class OrganizationNavigation {

	private final IdentityService identity;

	OrganizationNavigation(IdentityService identity) {
		this.identity = identity;
	}

	@ModelAttribute("organizations")
	List<MembershipView> organizations(Authentication authentication) {
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor && actor.orgId() != null) {
			return identity.memberships(actor.userId());
		}
		return List.of();
	}
}
