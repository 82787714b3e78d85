package dev.mailroom.platform.web;

import java.io.IOException;
import java.util.regex.Pattern;

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
 * idempotency check) can read it again. Page bodies over 2 MB are refused too, except a webmail
 * message with its attachments (the multipart resolver's limit).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeFilter extends OncePerRequestFilter {

	private final long limit;

	RequestSizeFilter(MailroomSettings settings) {
		this.limit = settings.maxRequestBytes();
	}

	/** Page forms (and their multipart uploads) other than webmail's message with attachments. */
	static final long PAGE_LIMIT = 2 * 1024 * 1024;

	/** The one page whose body may be as large as the multipart resolver allows: a message being sent. */
	private static final Pattern LARGE_PAGE_BODY = Pattern.compile("/mail/[0-9a-fA-F-]{36}/compose");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		if (!path.startsWith("/api/") && !path.startsWith("/mcp")) {
			// page bodies are parsed by the container (its own limits for chunked ones), not kept here
			if (request.getContentLengthLong() > PAGE_LIMIT && !LARGE_PAGE_BODY.matcher(path).matches()) {
				reject(response);
				return;
			}
			chain.doFilter(request, response);
			return;
		}
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
