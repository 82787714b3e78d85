package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.platform.web.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form. Spring Security handles {@code POST /signin} and comes back here with
 * {@code ?error=bad|locked|busy|unverified}; sign-out comes back with {@code ?signedout}, a used
 * verification link with {@code ?verified}.
 */
@PageController
class SignInPage {

	@GetMapping("/signin")
	String signIn(Principal principal, @RequestParam(required = false) String error,
			@RequestParam(required = false) String signedout, @RequestParam(required = false) String created,
			@RequestParam(required = false) String verified, @RequestParam(required = false) String resent,
			Model model) {
		if (principal != null) {
			return "redirect:/dashboard";
		}
		if ("unverified".equals(error)) {
			model.addAttribute("unverified", true);
			model.addAttribute("error", "Your email address is not verified yet. Open the link we emailed you, or ask for a new one.");
		}
		else if ("locked".equals(error)) {
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
		else if (verified != null) {
			model.addAttribute("notice", "Your email address is verified and your account is ready. Sign in to continue.");
		}
		else if (resent != null) {
			model.addAttribute("notice", "We sent you a new link. Open it within 24 hours, then sign in.");
		}
		return "identity/signin";
	}
}
