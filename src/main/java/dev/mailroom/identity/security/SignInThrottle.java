package dev.mailroom.identity.security;

import java.util.Locale;
import java.util.Map;

import dev.mailroom.identity.RateLimits;
import dev.mailroom.platform.MailroomException;
import org.springframework.http.HttpStatus;

/**
 * Sign-in attempts are limited per client, per account and client, and per account (at a much
 * higher threshold), whichever runs out first. The checks stop at the first refusal, so a client
 * already refused does not drain the account's own bucket: wrong passwords from one client do
 * not lock the owner out from theirs.
 */
final class SignInThrottle {

	private SignInThrottle() {
	}

	static void check(RateLimits limits, String email, String ip) {
		String account = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
		long wait = limits.tryConsume(RateLimits.SIGN_IN_PER_CLIENT, ip);
		if (wait == 0) {
			wait = limits.tryConsume(RateLimits.SIGN_IN_PER_ACCOUNT_AND_CLIENT, account + "|" + RateLimits.clientKey(ip));
		}
		if (wait == 0) {
			wait = limits.tryConsume(RateLimits.SIGN_IN_PER_ACCOUNT, account);
		}
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many sign-in attempts; try again in " + Math.max(1, wait / 60) + " minute(s)",
					java.util.List.of(), Map.of("retry_after_seconds", wait));
		}
	}
}
