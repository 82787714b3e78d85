package dev.mailroom.identity.security;

import java.util.Locale;
import java.util.Map;

import dev.mailroom.identity.RateLimits;
import dev.mailroom.platform.MailroomException;
import org.springframework.http.HttpStatus;

/** Sign-in attempts are limited per account and per client, whichever runs out first. */
final class SignInThrottle {

	private SignInThrottle() {
	}

	static void check(RateLimits limits, String email, String ip) {
		long wait = Math.max(limits.tryConsume(RateLimits.SIGN_IN_PER_CLIENT, ip),
				limits.tryConsume(RateLimits.SIGN_IN_PER_ACCOUNT, email == null ? "" : email.strip().toLowerCase(Locale.ROOT)));
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many sign-in attempts; try again in " + Math.max(1, wait / 60) + " minute(s)",
					java.util.List.of(), Map.of("retry_after_seconds", wait));
		}
	}
}
