package dev.mailroom.webmail.web;

import dev.mailroom.webmail.Webmail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.stereotype.Component;

/**
 * Sign-out closes the session's IMAP connections at once (the credential dies with the session, so
 * Dovecot would refuse a new login anyway; this ends the ones already open).
 */
@Component
class SignOutHandler implements LogoutHandler {

	private final Webmail webmail;

	SignOutHandler(Webmail webmail) {
		this.webmail = webmail;
	}

	@Override
	public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			webmail.signedOut(session);
		}
	}
}
