package dev.mailroom.identity.security;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.UserView;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Web sign-in with email and password. The principal is an {@link Actor} in the user's
 * personal (or first) organization; attempts go through the {@link SignInThrottle}.
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

	/** Sign-in paused for this client ({@code too_many_attempts}) or account ({@code sign_in_link_sent}). */
	static final class Paused extends LockedException {

		private static final long serialVersionUID = 1L;

		private final String code;
		private final long retryAfterSeconds;

		Paused(MailroomException e) {
			super(e.getMessage());
			this.code = e.code();
			this.retryAfterSeconds = e.properties().get("retry_after_seconds") instanceof Number n ? n.longValue() : 60;
		}

		boolean linkSent() {
			return "sign_in_link_sent".equals(code);
		}

		long retryAfterSeconds() {
			return retryAfterSeconds;
		}
	}

	/** The request's address and its device cookie, for the throttle. */
	static final class SignInDetails extends WebAuthenticationDetails {

		private static final long serialVersionUID = 1L;

		private final String deviceCookie;

		SignInDetails(HttpServletRequest request) {
			super(request);
			this.deviceCookie = DeviceCookies.presented(request);
		}
	}

	private final IdentityService identity;
	private final SignInThrottle throttle;

	WebSignInProvider(IdentityService identity, SignInThrottle throttle) {
		this.identity = identity;
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String email = authentication.getName();
		String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
		String ip = authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: "unknown";
		String device = authentication.getDetails() instanceof SignInDetails details ? details.deviceCookie : null;
		UserView user;
		try {
			user = throttle.signIn(email, password, ip, device);
		}
		catch (IdentityService.EmailNotVerifiedException e) {
			throw new NotVerified(e.verificationId());
		}
		catch (MailroomException e) {
			if (e.status() == org.springframework.http.HttpStatus.TOO_MANY_REQUESTS) {
				throw new Paused(e);
			}
			if (e.status() == org.springframework.http.HttpStatus.UNAUTHORIZED) {
				throw new BadCredentialsException(e.getMessage());
			}
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
