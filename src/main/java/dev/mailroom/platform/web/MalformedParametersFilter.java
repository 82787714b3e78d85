package dev.mailroom.platform.web;

import java.io.IOException;

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
 * Refuses a query string or form body that the container cannot decode (a lone {@code %}, bytes
 * that are not UTF-8, more parameters than it takes) with 400 {@code malformed_request}. Tomcat
 * parses parameters lazily and throws from whichever {@code getParameter} comes first, deep in a
 * handler, where it would be a 500; parsing them here once makes every endpoint answer alike.
 * Multipart bodies are left to the multipart resolver (its own limits and errors).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class MalformedParametersFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String type = request.getContentType();
		if (type == null || !type.regionMatches(true, 0, "multipart/", 0, 10)) {
			try {
				request.getParameterMap();
			}
			catch (RuntimeException e) {
				refuse(request, response);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI();
		if (path.startsWith("/api/") || path.startsWith("/mcp") || path.startsWith("/actuator/")) {
			ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "malformed_request",
					"The query string or form body has malformed percent-encoding or too many parameters");
			return;
		}
		response.sendError(HttpStatus.BAD_REQUEST.value());
	}
}
