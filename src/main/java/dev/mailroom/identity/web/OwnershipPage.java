package dev.mailroom.identity.web;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.SessionSignIn;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The ownership link the operator's organization-create emails to an existing account: signed in
 * (the sign-in page brings the person back here), they see the organization and accept; opening
 * the page changes nothing.
 */
@PageController
class OwnershipPage {

	private final IdentityService identity;
	private final SessionSignIn sessions;

	OwnershipPage(IdentityService identity, SessionSignIn sessions) {
		this.identity = identity;
		this.sessions = sessions;
	}

	@GetMapping("/ownership/{token}")
	String show(@PathVariable String token, Actor actor, Model model) {
		model.addAttribute("token", token);
		model.addAttribute("offer", identity.ownershipOffer(token));
		return "identity/ownership";
	}

	@PostMapping("/ownership/{token}")
	String accept(@PathVariable String token, Actor actor, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		UUID orgId = identity.acceptOwnership(token, actor);
		sessions.switchOrganization(actor, orgId, request, response);
		redirect.addFlashAttribute("notice", "You are now the owner of this organization.");
		return "redirect:/dashboard";
	}
}
