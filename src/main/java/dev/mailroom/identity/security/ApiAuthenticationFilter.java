package dev.mailroom.identity.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.identity.ApiQuota;
import dev.mailroom.identity.UserView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API requests: {@code Bearer <operator token>} on {@code /api/v1/operator/**}
 * (and metrics), {@code Bearer <API key>} elsewhere, HTTP Basic only where API.md allows it.
 * Every API-key call counts toward the organization's daily quota. Failures answer a problem
 * right here; credentials are never logged.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

	/** Where HTTP Basic (email + password) is accepted. */
	private static final List<Pattern> BASIC_ALLOWED = List.of(Pattern.compile("POST /api/v1/api-keys"),
			Pattern.compile("GET /api/v1/me/mailboxes"), Pattern.compile("POST /api/v1/invitations/[^/]+/accept"),
			Pattern.compile("POST /api/v1/ownership-invitations/[^/]+/accept"));

	private final ApiKeyService keys;
	private final ServerSecrets secrets;
	private final SignInThrottle throttle;
	private final ApiQuota quota;

	ApiAuthenticationFilter(ApiKeyService keys, ServerSecrets secrets, SignInThrottle throttle,
			ApiQuota quota) {
		this.keys = keys;
		this.secrets = secrets;
		this.throttle = throttle;
		this.quota = quota;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		String path = request.getRequestURI();
		boolean operatorPath = path.startsWith("/api/v1/operator/") || path.startsWith("/actuator/");
		String ip = request.getRemoteAddr();
		try {
			if (header == null || header.isBlank()) {
				chain.doFilter(request, response);
				return;
			}
			Actor actor;
			if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				String token = header.substring(7).strip();
				if (operatorPath) {
					if (!secrets.isOperatorToken(token)) {
						throw unauthorized("The operator token is missing or wrong");
					}
					actor = Actor.operator(ip);
				}
				else {
					actor = keys.authenticate(token, ip).orElseThrow(() -> unauthorized("The API key is unknown or revoked"));
					quota.count(actor);
				}
			}
			else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
				String call = request.getMethod() + " " + path;
				if (BASIC_ALLOWED.stream().noneMatch(p -> p.matcher(call).matches())) {
					throw unauthorized("Use an API key (Authorization: Bearer …) for this endpoint");
				}
				actor = basic(header.substring(6).strip(), ip, DeviceCookies.presented(request));
			}
			else {
				throw unauthorized("Unsupported authorization scheme");
			}
			if (operatorPath && !actor.isOperator()) {
				throw new MailroomException(HttpStatus.FORBIDDEN, "forbidden", "Operator endpoints need the operator token");
			}
			var authentication = new UsernamePasswordAuthenticationToken(actor, null,
					AuthorityUtils.createAuthorityList(actor.isOperator() ? "ROLE_OPERATOR" : "ROLE_USER"));
			SecurityContextHolder.getContext().setAuthentication(authentication);
			chain.doFilter(request, response);
		}
		catch (MailroomException e) {
			SecurityContextHolder.clearContext();
			write(response, e);
		}
	}

	private Actor basic(String encoded, String ip, String deviceCookie) {
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw unauthorized("Malformed Basic credentials");
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			throw unauthorized("Malformed Basic credentials");
		}
		String email = decoded.substring(0, colon);
		UserView found = throttle.signIn(email, decoded.substring(colon + 1), ip, deviceCookie);
		return new Actor(Actor.Kind.USER, found.id(), found.email(), null, null, null, null, null, ip);
	}

	private static MailroomException unauthorized(String message) {
		return new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
	}

	static void write(HttpServletResponse response, MailroomException e) throws IOException {
		if (e.status() == HttpStatus.UNAUTHORIZED) {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"mailroom\"");
		}
		Object retryAfter = e.properties().get("retry_after_seconds");
		if (retryAfter != null) {
			response.setHeader("Retry-After", retryAfter.toString());
		}
		ProblemResponses.write(response, e.status(), e.code(), e.getMessage());
	}
}
