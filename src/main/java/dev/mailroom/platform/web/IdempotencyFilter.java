package dev.mailroom.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.IdempotencyStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every API {@code POST}: the first request with a key runs and its
 * response is stored (encrypted: it may hold a token shown once); a retry with the same key and
 * body within 24 hours gets that response again ({@code Idempotent-Replayed: true}) and changes
 * nothing; the same key with another body → 422 {@code idempotency_key_reused}; a retry while
 * the first is still running → 409 {@code idempotency_key_in_use}. Keys are scoped to the caller.
 * Runs after authentication (it is ordered after Spring Security's filter). The records live in
 * {@link IdempotencyStore}, shared with the MCP tools' {@code idempotency_key}.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	private final IdempotencyStore store;

	IdempotencyFilter(IdempotencyStore store) {
		this.store = store;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String idempotencyKey = request.getHeader(HEADER);
		if (!IdempotencyStore.KEY.matcher(idempotencyKey).matches()) {
			problem(response, HttpStatus.BAD_REQUEST, "invalid_idempotency_key",
					"Idempotency-Key must be 1–255 visible ASCII characters");
			return;
		}
		String principal = principal(request);
		byte[] body = request.getInputStream().readAllBytes();
		byte[] hash = IdempotencyStore.sha256(IdempotencyStore.concat((request.getMethod() + " "
				+ request.getRequestURI() + "?" + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n")
			.getBytes(StandardCharsets.UTF_8), body));
		switch (store.claim(principal, idempotencyKey, hash)) {
			case IdempotencyStore.Claim.First first -> runFirst(request, response, chain, principal, idempotencyKey);
			case IdempotencyStore.Claim.Replay replay -> replay(replay, response);
			case IdempotencyStore.Claim.InUse inUse -> {
				response.setHeader("Retry-After", "1");
				problem(response, HttpStatus.CONFLICT, "idempotency_key_in_use",
						"A request with this Idempotency-Key is still being processed; retry shortly");
			}
			case IdempotencyStore.Claim.Reused reused -> problem(response, HttpStatus.UNPROCESSABLE_CONTENT,
					"idempotency_key_reused", "This Idempotency-Key was used with a different request; use a new key");
		}
	}

	private void runFirst(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String principal,
			String idempotencyKey) throws ServletException, IOException {
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(request, captured);
			if (captured.getStatus() < 500) {
				store.complete(principal, idempotencyKey, captured.getStatus(), captured.getContentType(),
						captured.getHeader("Location"), captured.getContentAsByteArray());
				stored = true;
			}
		}
		finally {
			if (!stored) {
				// a failed first attempt leaves the key free for a real retry
				store.release(principal, idempotencyKey);
			}
			captured.copyBodyToResponse();
		}
	}

	private static void replay(IdempotencyStore.Claim.Replay stored, HttpServletResponse response) throws IOException {
		response.setStatus(stored.status());
		if (stored.contentType() != null) {
			response.setContentType(stored.contentType());
		}
		if (stored.location() != null) {
			response.setHeader("Location", stored.location());
		}
		response.setHeader("Idempotent-Replayed", "true");
		response.setContentLength(stored.body().length);
		response.getOutputStream().write(stored.body());
	}

	private static String principal(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
			return IdempotencyStore.principal(actor);
		}
		return "anonymous:" + request.getRemoteAddr();
	}

	private static void problem(HttpServletResponse response, HttpStatus status, String code, String detail)
			throws IOException {
		ProblemResponses.write(response, status, code, detail);
	}
}
