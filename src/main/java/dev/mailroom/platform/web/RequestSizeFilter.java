package dev.mailroom.platform.web;

import java.io.IOException;

import dev.mailroom.platform.MailroomSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API bodies larger than {@code mailroom.max-request-bytes} with 413 before any
 * handler parses them (chunked bodies included), and keeps the body so later filters (the
 * idempotency check) can read it again.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeFilter extends OncePerRequestFilter {

	private final long limit;

	RequestSizeFilter(MailroomSettings settings) {
		this.limit = settings.maxRequestBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/") && !request.getRequestURI().startsWith("/mcp");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > limit) {
			reject(response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
		if (body.length > limit) {
			reject(response);
			return;
		}
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	static void reject(HttpServletResponse response) throws IOException {
		ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "The request body is too large");
	}
}
