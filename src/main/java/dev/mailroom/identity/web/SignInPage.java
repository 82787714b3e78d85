package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.platform.web.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form. Spring Security handles {@code POST /signin} and comes back here with
 * {@code ?error=bad|locked|busy}; sign-out comes back with {@code ?signedout}.
 */
@PageController
class SignInPage {

	@GetMapping("/signin")
	String signIn(Principal principal, @RequestParam(required = false) String error,
			@RequestParam(required = false) String signedout, @RequestParam(required = false) String created,
			Model model) {
		if (principal != null) {
			return "redirect:/dashboard";
		}
		if ("locked".equals(error)) {
			model.addAttribute("error", "Too many attempts. For your security, sign-in is paused for a few minutes; please try again later.");
		}
		else if ("busy".equals(error)) {
			model.addAttribute("error", "The server is busy right now. Please try again in a few seconds.");
		}
		else if (error != null) {
			model.addAttribute("error", "Wrong email or password.");
		}
		else if (signedout != null) {
			model.addAttribute("notice", "You have been signed out.");
		}
		else if (created != null) {
			model.addAttribute("notice", "Your account is ready. Sign in to continue.");
		}
		return "identity/signin";
	}
}
