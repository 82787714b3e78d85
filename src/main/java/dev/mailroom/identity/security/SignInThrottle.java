package dev.mailroom.identity.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.RateLimits;
import dev.mailroom.identity.UserView;
import dev.mailroom.platform.MailroomException;
import org.springframework.http.HttpStatus;

/**
 * Password sign-in (web form and HTTP Basic) under the sign-in limits. Only wrong passwords
 * count: an attempt takes a token from each bucket before its password is checked (so parallel
 * attempts cannot overrun a limit) and gets them back unless the password was wrong, so the right
 * password never uses up anything.
 * <ul>
 * <li>From a known device (a valid {@link DeviceCookies device cookie} of the account), only
 * that device's own bucket applies: a stranger's wrong passwords elsewhere cannot lock it.</li>
 * <li>From any other client: its own bucket (every account), its bucket for this account, and
 * the account's bucket. A client out of room in either of its own is refused before its
 * password is checked (429 {@code too_many_attempts}). When only the account's bucket is out
 * (many wrong passwords from many clients), the password is still checked but never signs in
 * there: the right one gets a one-time sign-in link emailed to the account. The answer is the
 * same for a right and a wrong password (429 {@code sign_in_link_sent}), so the paused account
 * is no oracle for guessing its password.</li>
 * </ul>
 */
final class SignInThrottle {

	private final IdentityService identity;
	private final RateLimits limits;
	private final DeviceCookies devices;

	SignInThrottle(IdentityService identity, RateLimits limits, DeviceCookies devices) {
		this.identity = identity;
		this.limits = limits;
		this.devices = devices;
	}

	/**
	 * The user whose email and password these are, signed in (last sign-in recorded). Throws
	 * {@link MailroomException}: 401 {@code unauthorized} for a wrong email or password, 429
	 * {@code too_many_attempts} or {@code sign_in_link_sent} (with {@code retry_after_seconds}),
	 * and {@link IdentityService.EmailNotVerifiedException} for the right password of a pending
	 * sign-up.
	 */
	UserView signIn(String email, String password, String ip, String deviceCookie) {
		String account = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
		Optional<String> device = devices.device(deviceCookie, account);
		// every attempt takes its tokens first (so parallel attempts cannot overrun a limit) and one
		// that was not a wrong password gets them back
		List<Taken> taken = new ArrayList<>();
		try {
			if (device.isPresent()) {
				take(new Taken(RateLimits.SIGN_IN_PER_DEVICE, device.get()), taken);
				UserView user = identity.authenticate(email, password).orElseThrow(SignInThrottle::wrong);
				refund(taken);
				return user;
			}
			take(new Taken(RateLimits.SIGN_IN_PER_CLIENT, ip), taken);
			take(new Taken(RateLimits.SIGN_IN_PER_ACCOUNT_AND_CLIENT, account + "|" + RateLimits.clientKey(ip)), taken);
			long accountWait = limits.tryConsume(RateLimits.SIGN_IN_PER_ACCOUNT, account);
			if (accountWait == 0) {
				taken.add(new Taken(RateLimits.SIGN_IN_PER_ACCOUNT, account));
				UserView user = identity.authenticate(email, password).orElseThrow(SignInThrottle::wrong);
				refund(taken);
				return user;
			}
			// paused: the password is checked, but signs in only through the emailed link
			Optional<UserView> user = identity.checkPassword(email, password);
			if (user.isPresent()) {
				refund(taken);
				identity.sendSignInLink(user.get().id());
			}
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "sign_in_link_sent",
					"Sign-in to this account is paused after many wrong passwords, except on devices that signed in to it before. "
							+ "If the password was right, we emailed a one-time sign-in link to the account's address: open it on this device. "
							+ "Otherwise try again in " + minutes(accountWait) + ".",
					List.of(), Map.of("retry_after_seconds", accountWait));
		}
		catch (MailroomException e) {
			// a refusal, the right password of a pending sign-up or a busy server spends nothing;
			// a wrong password keeps what it took
			if (!"unauthorized".equals(e.code()) && !"sign_in_link_sent".equals(e.code())) {
				refund(taken);
			}
			throw e;
		}
	}

	private record Taken(RateLimits.Limit limit, String key) {
	}

	private void take(Taken bucket, List<Taken> taken) {
		long wait = limits.tryConsume(bucket.limit(), bucket.key());
		if (wait > 0) {
			refuseIfWaiting(wait);
		}
		taken.add(bucket);
	}

	private void refund(List<Taken> taken) {
		taken.forEach(t -> limits.refund(t.limit(), t.key()));
		taken.clear();
	}

	private static void refuseIfWaiting(long wait) {
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts",
					"Too many sign-in attempts; try again in " + minutes(wait), List.of(),
					Map.of("retry_after_seconds", wait));
		}
	}

	static String minutes(long seconds) {
		long minutes = Math.max(1, (seconds + 59) / 60);
		return minutes == 1 ? "1 minute" : minutes + " minutes";
	}

	private static MailroomException wrong() {
		return new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized", "Wrong email or password");
	}
}
