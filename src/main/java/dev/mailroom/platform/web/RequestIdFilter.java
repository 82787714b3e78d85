package dev.mailroom.platform.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} if it is a sane token, else a
 * new one), echoes it in the response and puts it in the log context.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";
	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8,100}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
		response.setHeader(HEADER, id);
		MDC.put("request_id", id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("request_id");
		}
	}
}
