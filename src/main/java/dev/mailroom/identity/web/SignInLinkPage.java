package dev.mailroom.identity.web;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.SessionSignIn;
import dev.mailroom.identity.security.DeviceCookies;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The emailed one-time sign-in link: opening it shows a button and changes nothing (mail
 * scanners open links); the button's POST signs in on this browser and makes it a known device
 * of the account.
 */
@PageController
class SignInLinkPage {

	private final IdentityService identity;
	private final SessionSignIn sessions;
	private final DeviceCookies devices;

	SignInLinkPage(IdentityService identity, SessionSignIn sessions, DeviceCookies devices) {
		this.identity = identity;
		this.sessions = sessions;
		this.devices = devices;
	}

	@GetMapping("/signin/link/{token}")
	String show(@PathVariable String token, Model model) {
		model.addAttribute("token", token);
		return "identity/signin-link";
	}

	@PostMapping("/signin/link/{token}")
	String signIn(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) {
		UUID userId;
		try {
			userId = identity.useSignInLink(token);
		}
		catch (MailroomException e) {
			if (e.status() != HttpStatus.GONE && e.status() != HttpStatus.NOT_FOUND) {
				throw e;
			}
			return "redirect:/signin?link=" + (e.status() == HttpStatus.NOT_FOUND ? "unknown"
					: "sign_in_link_used".equals(e.code()) ? "used" : "expired");
		}
		sessions.signIn(userId, request, response);
		identity.user(userId).ifPresent(user -> devices.issue(user.email(), request, response));
		return "redirect:/dashboard";
	}
}
