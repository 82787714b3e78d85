package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.platform.web.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form. Spring Security handles {@code POST /signin} and comes back here with
 * {@code ?error=bad|locked|link|busy|unverified} (with {@code wait}, minutes, for
 * locked and link); sign-out comes back with {@code ?signedout}, a used
 * verification link with {@code ?verified}. Without an SMTP relay the messages about a link say it
 * is in the server's console log instead of claiming it was emailed. After a refused sign-in the
 * email typed comes back as the flash attribute {@code signinEmail} (never in the URL, never the
 * password).
 */
@PageController
class SignInPage {

	/** Where an account email's link is when nothing is sent (the outbox logs it, see MailTransport). */
	static final String NO_RELAY = "This server has no mail relay: the link is in the server's console log.";

	@GetMapping("/signin")
	String signIn(Principal principal, @RequestParam(required = false) String error,
			@RequestParam(required = false) String signedout, @RequestParam(required = false) String created,
			@RequestParam(required = false) String verified, @RequestParam(required = false) String resent,
			@RequestParam(required = false) String wait, @RequestParam(required = false) String link, Model model) {
		if (principal != null) {
			return "redirect:/dashboard";
		}
		// set for every page by the dev mail viewer's advice: true when there is no SMTP relay
		boolean noRelay = Boolean.TRUE.equals(model.getAttribute("devMail"));
		if ("unverified".equals(error)) {
			model.addAttribute("unverified", true);
			model.addAttribute("error", noRelay
					? "Your email address is not verified yet. " + NO_RELAY + " Open it, or ask for a new one."
					: "Your email address is not verified yet. Open the link we emailed you, or ask for a new one.");
		}
		else if ("locked".equals(error)) {
			model.addAttribute("error", "Too many wrong passwords from here. For your security, sign-in from here is paused; try again in "
					+ waitText(wait) + ".");
		}
		else if ("link".equals(error)) {
			model.addAttribute("notice", "Sign-in to this account is paused after many wrong passwords, except on devices that signed in to it before. "
					+ (noRelay ? "If your password was right, a sign-in link was made for you. " + NO_RELAY
							+ " Open it on this device within 15 minutes. "
							: "If your password was right, we emailed you a sign-in link: open it on this device within 15 minutes. ")
					+ "Otherwise try again in " + waitText(wait) + ".");
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
			model.addAttribute("notice", noRelay ? NO_RELAY + " Open it within 24 hours, then sign in."
					: "We sent you a new link. Open it within 24 hours, then sign in.");
		}
		else if ("used".equals(link) || "expired".equals(link) || "unknown".equals(link)) {
			model.addAttribute("error", "This sign-in link no longer works (links work once, for 15 minutes). Sign in again.");
		}
		return "identity/signin";
	}

	private static String waitText(String minutes) {
		int value;
		try {
			value = minutes == null ? 15 : Math.clamp(Integer.parseInt(minutes), 1, 60);
		}
		catch (NumberFormatException e) {
			value = 15;
		}
		return value == 1 ? "1 minute" : value + " minutes";
	}
}
