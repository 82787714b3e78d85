package dev.mailroom.platform.web;

import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * What the security firewall's refusals answer (through {@link ErrorPages}, so as a problem with
 * a request id): a method no endpoint has (QUERY, PROPFIND, …) is 405 {@code method_not_allowed},
 * like a known method on the wrong endpoint; anything else it rejects (encoded slashes, …) is 400
 * {@code malformed_request}.
 */
@Configuration(proxyBeanMethods = false)
class RejectedRequests {

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, rejected) -> response.sendError(METHODS.contains(request.getMethod())
				? HttpServletResponse.SC_BAD_REQUEST : HttpServletResponse.SC_METHOD_NOT_ALLOWED);
	}
}
