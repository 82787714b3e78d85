package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.SessionSignIn;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Creating an account; the new user is signed in at once and lands on the dashboard. */
@PageController
class SignUpPage {

	private final IdentityService identity;
	private final SessionSignIn sessions;

	SignUpPage(IdentityService identity, SessionSignIn sessions) {
		this.identity = identity;
		this.sessions = sessions;
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
	String signUp(@Valid SignUpForm form, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		var created = identity.signUp(form.email(), form.password(), form.name(), request.getRemoteAddr());
		sessions.signIn(created.userId(), request, response);
		redirect.addFlashAttribute("notice", "Welcome to Mailroom! Your account is ready.");
		return "redirect:/dashboard";
	}
}
