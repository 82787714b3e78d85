package dev.mailroom.webmail.web;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.webmail.Webmail;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells every page's top bar whether to offer "Mail": to everyone who can open a mailbox. */
@ControllerAdvice(annotations = PageController.class)
class MailNavigation {

	private final Webmail webmail;

	MailNavigation(Webmail webmail) {
		this.webmail = webmail;
	}

	@ModelAttribute("mailNav")
	boolean mailNav(Authentication authentication, jakarta.servlet.http.HttpServletRequest request) {
		return authentication != null && authentication.getPrincipal() instanceof Actor actor && actor.userId() != null
				&& webmail.opensAnything(WebmailRequests.user(actor, request));
	}
}
