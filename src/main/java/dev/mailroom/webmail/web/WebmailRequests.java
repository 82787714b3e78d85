package dev.mailroom.webmail.web;

import dev.mailroom.platform.Actor;
import dev.mailroom.webmail.WebmailUser;
import jakarta.servlet.http.HttpServletRequest;

/** One {@link WebmailUser} per request, shared by the page and the top bar. */
final class WebmailRequests {

	private static final String ATTRIBUTE = WebmailRequests.class.getName();

	private WebmailRequests() {
	}

	static WebmailUser user(Actor actor, HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof WebmailUser user && user.actor().equals(actor)) {
			return user;
		}
		WebmailUser user = new WebmailUser(actor, request.getSession(), request.getRemoteAddr());
		request.setAttribute(ATTRIBUTE, user);
		return user;
	}
}
