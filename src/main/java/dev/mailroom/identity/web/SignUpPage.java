package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Creating an account: the form starts a sign-up and says a link was emailed, whatever the email
 * (the page reveals no account); the account exists once the link is used.
 */
@PageController
class SignUpPage {

	private final IdentityService identity;

	SignUpPage(IdentityService identity) {
		this.identity = identity;
	}

	record SignUpForm(@Size(max = 200, message = "Use at most 200 characters") String name,
			@Size(max = 254, message = "Use at most 254 characters") String email,
			@Size(max = 200, message = "Use at most 128 characters") String password) {
	}

	@GetMapping("/signup")
	String form(Principal principal) {
		return principal == null ? "identity/signup" : "redirect:/dashboard";
	}

	@PostMapping("/signup")
	String signUp(@Valid SignUpForm form, HttpServletRequest request, RedirectAttributes redirect) {
		identity.signUp(form.email(), form.password(), form.name(), request.getRemoteAddr());
		redirect.addFlashAttribute("sentTo", form.email().strip());
		return "redirect:/signup/sent";
	}

	@GetMapping("/signup/sent")
	String sent(Principal principal) {
		return principal == null ? "identity/signup-sent" : "redirect:/dashboard";
	}
}
