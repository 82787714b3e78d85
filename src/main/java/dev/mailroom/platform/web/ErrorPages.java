package dev.mailroom.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * What answers when a request fails before any handler runs (unknown path, wrong method, a
 * request the firewall rejects, a container error): a problem with a {@code code} for the API,
 * the friendly error page for people. Replaces Spring Boot's default {@code /error}.
 */
@Controller
class ErrorPages implements ErrorController {

	@RequestMapping("/error")
	Object error(HttpServletRequest request, HttpServletResponse response) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = HttpStatus.resolve(code instanceof Integer value ? value : response.getStatus());
		if (status == null || status.value() < 400) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		String path = uri == null ? request.getRequestURI() : uri.toString();
		if (path.startsWith("/api/") || path.startsWith("/mcp") || path.startsWith("/actuator/")) {
			ProblemDetail problem = ProblemResponses.problem(status, codeFor(status), detailFor(status));
			return ProblemResponses.response(problem);
		}
		ModelAndView page = new ModelAndView("error", status);
		page.addObject("status", status.value());
		page.addObject("error", status.getReasonPhrase());
		return page;
	}

	static String codeFor(HttpStatus status) {
		return switch (status) {
			case BAD_REQUEST -> "malformed_request";
			case UNAUTHORIZED -> "unauthorized";
			case FORBIDDEN -> "forbidden";
			case NOT_FOUND -> "not_found";
			case METHOD_NOT_ALLOWED -> "method_not_allowed";
			case CONTENT_TOO_LARGE -> "payload_too_large";
			case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
			case TOO_MANY_REQUESTS -> "rate_limited";
			default -> status.is4xxClientError() ? "bad_request" : "internal_error";
		};
	}

	static String detailFor(HttpStatus status) {
		return switch (status) {
			case NOT_FOUND -> "No such endpoint; see /v3/api-docs";
			case METHOD_NOT_ALLOWED -> "This method is not allowed on this endpoint; see /v3/api-docs";
			case BAD_REQUEST -> "The request was rejected as malformed";
			default -> status.is5xxServerError() ? "Something went wrong on our side; the request id identifies it in the logs"
					: status.getReasonPhrase();
		};
	}

}
