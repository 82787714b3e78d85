package dev.mailroom.mailbox.web;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells every page's profile menu what "Your account" holds: a password, and a recovery code
 * only for a person who signs in to a mailbox (other accounts have none to show).
 */
@ControllerAdvice(annotations = PageController.class)
class AccountNavigation {

	private final MailboxService mailboxes;

	AccountNavigation(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	@ModelAttribute("accountMenuNote")
	String accountMenuNote(Authentication authentication) {
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor && actor.userId() != null
				&& actor.kind() == Actor.Kind.USER && !mailboxes.ownLogins(actor.userId()).isEmpty()) {
			return "Password and recovery code";
		}
		return "Password";
	}
}
