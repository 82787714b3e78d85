package dev.mailroom.identity.security;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.RateLimits;
import dev.mailroom.identity.UserView;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Web sign-in with email and password. The principal is an {@link Actor} in the user's
 * personal (or first) organization; sign-in attempts are throttled per account and client.
 */
class WebSignInProvider implements AuthenticationProvider {

	/** The session attribute naming a pending sign-up whose password this browser gave. */
	static final String UNVERIFIED_ATTRIBUTE = "mailroom.unverified_signup";

	/** The right password of a sign-up whose email is not verified yet. */
	static final class NotVerified extends org.springframework.security.authentication.AccountStatusException {

		private static final long serialVersionUID = 1L;

		private final transient java.util.UUID verificationId;

		NotVerified(java.util.UUID verificationId) {
			super("Email not verified");
			this.verificationId = verificationId;
		}

		java.util.UUID verificationId() {
			return verificationId;
		}
	}

	private final IdentityService identity;
	private final RateLimits rateLimits;

	WebSignInProvider(IdentityService identity, RateLimits rateLimits) {
		this.identity = identity;
		this.rateLimits = rateLimits;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String email = authentication.getName();
		String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
		String ip = authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: "unknown";
		try {
			SignInThrottle.check(rateLimits, email, ip);
		}
		catch (MailroomException e) {
			throw new LockedException(e.getMessage());
		}
		UserView user;
		try {
			user = identity.authenticate(email, password)
				.orElseThrow(() -> new BadCredentialsException("Wrong email or password"));
		}
		catch (IdentityService.EmailNotVerifiedException e) {
			throw new NotVerified(e.verificationId());
		}
		catch (MailroomException e) {
			// server_busy: every hashing slot was taken for too long
			throw new AuthenticationServiceException(e.getMessage(), e);
		}
		// a mailbox's own login belongs to no organization: it signs in to its account page only
		MembershipView home = identity.defaultMembership(user.id()).orElse(null);
		Actor actor = new Actor(Actor.Kind.USER, user.id(), user.email(), home == null ? null : home.orgId(),
				home == null ? null : home.role(), null, null, null, ip);
		return new WebAuthentication(actor);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}
}
