package dev.mailroom.identity;

import java.util.UUID;

import dev.mailroom.identity.security.WebAuthentication;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.stereotype.Component;

/**
 * Signs a user in on the current browser without a password round trip (right after sign-up).
 * The result is the same as a password sign-in: the user's personal (or first) organization,
 * and a brand-new session, so an id planted before sign-in is worthless afterwards.
 */
@Component
public class SessionSignIn {

	private final IdentityService identity;
	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
	private final HttpSessionCsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();

	SessionSignIn(IdentityService identity) {
		this.identity = identity;
	}

	/** Signs {@code userId} in, in their default organization; 404 when the user does not exist. */
	public void signIn(UUID userId, HttpServletRequest request, HttpServletResponse response) {
		UserView user = identity.user(userId).orElseThrow(() -> MailroomException.notFound("User"));
		// a mailbox's own login belongs to no organization: it works on its account page only
		MembershipView home = identity.defaultMembership(userId).orElse(null);
		Actor actor = new Actor(Actor.Kind.USER, user.id(), user.email(), home == null ? null : home.orgId(),
				home == null ? null : home.role(), null, null, null, request.getRemoteAddr());
		HttpSession previous = request.getSession(false);
		if (previous != null) {
			previous.invalidate();
		}
		request.getSession(true);
		SecurityContext context = holder.createEmptyContext();
		context.setAuthentication(new WebAuthentication(actor));
		holder.setContext(context);
		contexts.saveContext(context, request, response);
		// a page rendered in this same request must carry a CSRF token of the new session
		CsrfToken token = csrfTokens.generateToken(request);
		csrfTokens.saveToken(token, request, response);
		new XorCsrfTokenRequestAttributeHandler().handle(request, response, () -> token);
	}

	/**
	 * Moves the signed-in person to another organization they belong to, in the same session;
	 * 404 when they are not a member of it (existence is not revealed).
	 */
	public void switchOrganization(Actor actor, UUID orgId, HttpServletRequest request, HttpServletResponse response) {
		MembershipView membership = identity.memberships(actor.userId())
			.stream()
			.filter(m -> m.orgId().equals(orgId))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Organization"));
		SecurityContext context = holder.createEmptyContext();
		context.setAuthentication(new WebAuthentication(actor.inOrganization(membership.orgId(), membership.role())));
		holder.setContext(context);
		contexts.saveContext(context, request, response);
	}
}
