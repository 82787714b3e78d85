package dev.mailroom.identity.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;


import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.SecretMac;
import dev.mailroom.platform.ServerSecrets;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
 * signed in to an account gets a cookie naming it as a known device of that account, so wrong
 * passwords from elsewhere that pause the account do not pause it there. The value is a random
 * device id and the issue time, signed with HMAC-SHA256 (server secret) over them and the
 * account's email; nothing is stored. It holds one account, the last one signed in.
 */
@Component
public class DeviceCookies {

	static final String NAME = "MAILROOM_DEVICE";
	static final Duration LIFETIME = Duration.ofDays(365);
	private static final int ID_BYTES = 16;
	private static final int MAC_BYTES = 16;
	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretMac mac;
	private final PublicUrls urls;

	DeviceCookies(ServerSecrets secrets, PublicUrls urls) {
		this.urls = urls;
		this.mac = secrets.mac("device-cookie-v1");
	}

	/** Marks this browser as a known device of {@code email} (HttpOnly, SameSite=Lax, one year). */
	public void issue(String email, HttpServletRequest request, HttpServletResponse response) {
		byte[] id = new byte[ID_BYTES];
		RANDOM.nextBytes(id);
		long issued = Instant.now().getEpochSecond();
		ByteBuffer value = ByteBuffer.allocate(ID_BYTES + Long.BYTES + MAC_BYTES);
		value.put(id).putLong(issued).put(mac(email, id, issued));
		ResponseCookie cookie = ResponseCookie.from(NAME, Base64.getUrlEncoder().withoutPadding().encodeToString(value.array()))
			.httpOnly(true)
			.secure(secure(request))
			.sameSite("Lax")
			.path("/")
			.maxAge(LIFETIME)
			.build();
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
	}

	/** Over HTTPS, or on a server whose base URL is HTTPS (as the session cookie). */
	boolean secure(HttpServletRequest request) {
		return request.isSecure() || urls.base().startsWith("https://");
	}

	/** The cookie's value in this request, or null. */
	static String presented(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		return Arrays.stream(cookies).filter(c -> NAME.equals(c.getName())).map(Cookie::getValue).findFirst().orElse(null);
	}

	/**
	 * The device id of a cookie value issued to {@code email} less than a year ago; empty for no
	 * cookie, a forged or expired one, or one of another account.
	 */
	Optional<String> device(String value, String email) {
		if (value == null || email == null) {
			return Optional.empty();
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(value);
		}
		catch (IllegalArgumentException e) {
			return Optional.empty();
		}
		if (bytes.length != ID_BYTES + Long.BYTES + MAC_BYTES) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		byte[] id = new byte[ID_BYTES];
		buffer.get(id);
		long issued = buffer.getLong();
		byte[] presented = new byte[MAC_BYTES];
		buffer.get(presented);
		if (!MessageDigest.isEqual(presented, mac(email, id, issued))) {
			return Optional.empty();
		}
		Instant at = Instant.ofEpochSecond(issued);
		Instant now = Instant.now();
		if (at.isAfter(now.plusSeconds(60)) || at.plus(LIFETIME).isBefore(now)) {
			return Optional.empty();
		}
		return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
	}

	private byte[] mac(String email, byte[] id, long issued) {
		return Arrays.copyOf(mac.of(id, ByteBuffer.allocate(Long.BYTES).putLong(issued).array(),
				email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)), MAC_BYTES);
	}
}
