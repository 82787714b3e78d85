package dev.mailroom.identity.web;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The verification link: opening it shows a button and changes nothing (mail scanners open
 * links); the button's POST verifies and sends the person to sign in. Also the sign-in page's
 * "send a new link", for a browser that just gave the pending sign-up's password.
 */
@PageController
class EmailVerificationPage {

	/** Set by the sign-in failure handler (identity.security) after the right password. */
	private static final String UNVERIFIED_ATTRIBUTE = "mailroom.unverified_signup";

	private final IdentityService identity;

	EmailVerificationPage(IdentityService identity) {
		this.identity = identity;
	}

	@GetMapping("/verify-email/{token}")
	String show(@PathVariable String token, Model model) {
		model.addAttribute("token", token);
		return "identity/verify-email";
	}

	@PostMapping("/verify-email/{token}")
	String verify(@PathVariable String token, HttpServletRequest request, Model model) {
		try {
			identity.verifyEmail(token, request.getRemoteAddr());
		}
		catch (MailroomException e) {
			if (e.status() != HttpStatus.GONE && e.status() != HttpStatus.NOT_FOUND) {
				throw e;
			}
			model.addAttribute("reason", e.status() == HttpStatus.NOT_FOUND ? "unknown" : e.code());
			return "identity/verify-email";
		}
		return "redirect:/signin?verified";
	}

	@PostMapping("/signin/verification")
	String resend(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Object pending = session == null ? null : session.getAttribute(UNVERIFIED_ATTRIBUTE);
		if (pending != null) {
			session.removeAttribute(UNVERIFIED_ATTRIBUTE);
			identity.resendVerification(UUID.fromString(pending.toString()));
		}
		return "redirect:/signin?resent";
	}
}
