package dev.mailroom.identity.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;

/**
 * Where to go back after signing in, kept in a short-lived cookie: the default request cache
 * stores it in the session, so every anonymous request to a protected page stored a session row.
 * Only a GET's path and query are kept (never a host), and only a path of this server is used.
 */
final class ReturnPathCookie implements RequestCache {

	static final String NAME = "MAILROOM_RETURN";
	private static final Duration LIFETIME = Duration.ofMinutes(30);
	private static final int MAX_LENGTH = 1000;

	private final java.util.function.Predicate<HttpServletRequest> secure;

	/** {@code secure}: whether the cookie must be {@code Secure} for this request. */
	ReturnPathCookie(java.util.function.Predicate<HttpServletRequest> secure) {
		this.secure = secure;
	}

	@Override
	public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
		// as Spring Security's default: pages only, not background or script requests
		String accept = request.getHeader("Accept");
		if (!"GET".equals(request.getMethod()) || request.getHeader("HX-Request") != null
				|| request.getHeader("X-Requested-With") != null
				|| (accept != null && accept.contains("application/json") && !accept.contains("text/html"))
				|| request.getRequestURI().endsWith("favicon.ico")) {
			return;
		}
		String path = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
		if (!isLocal(path)) {
			return;
		}
		write(request, response, Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8)),
				LIFETIME);
	}

	/** The saved path (relative, of this server), or null. */
	@Override
	public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
		String path = path(request);
		return path == null ? null : new SimpleSavedRequest(path);
	}

	/** Never replaces the request: the cookie only says where to go after signing in. */
	@Override
	public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
		return null;
	}

	@Override
	public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
		if (path(request) != null) {
			write(request, response, "", Duration.ZERO);
		}
	}

	static String path(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		String value = Arrays.stream(cookies).filter(c -> NAME.equals(c.getName())).map(Cookie::getValue).findFirst().orElse(null);
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			String path = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
			return isLocal(path) ? path : null;
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static boolean isLocal(String path) {
		return path.length() <= MAX_LENGTH && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\")
				&& path.chars().noneMatch(c -> c < 0x21 || c == '\\' || c > 0x7e);
	}

	private void write(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
		response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(NAME, value)
			.httpOnly(true)
			.secure(secure.test(request))
			.sameSite("Lax")
			.path("/")
			.maxAge(maxAge)
			.build()
			.toString());
	}
}
