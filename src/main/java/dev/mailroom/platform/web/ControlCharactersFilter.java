package dev.mailroom.platform.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Refuses a request that carries a C0 control character (U+0000–U+001F) or DEL (U+007F) in its
 * path, a parameter name or value (query string, form body, multipart fields) or a JSON body's
 * property names and strings, with 400 {@code invalid_characters} for the API and the 400 page
 * for people. Tab, CR and LF stay allowed in parameter values and JSON strings, where a text
 * area sends them. PostgreSQL refuses NUL in text, so without this check a NUL reaching any SQL
 * parameter was a 500; no field has a use for the other controls either. The one place for the
 * rule: handlers and services never see such a request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class ControlCharactersFilter extends OncePerRequestFilter {

	private static final JsonFactory JSON = new JsonFactory();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (refused(request.getServletPath(), false) || refused(request.getPathInfo(), false)
				|| refusedParameters(request) || refusedJson(request)) {
			refuse(request, response);
			return;
		}
		chain.doFilter(request, response);
	}

	/** Whether {@code text} holds a C0 control or DEL; {@code inText} allows tab, CR and LF. */
	static boolean refused(String text, boolean inText) {
		if (text == null) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 || c == 0x7F) && !(inText && (c == '\t' || c == '\r' || c == '\n'))) {
				return true;
			}
		}
		return false;
	}

	private static boolean refusedParameters(HttpServletRequest request) {
		Map<String, String[]> parameters;
		try {
			parameters = request.getParameterMap();
		}
		catch (RuntimeException e) {
			// an undecodable query or form was answered by MalformedParametersFilter; a multipart body
			// that cannot be parsed is left to the multipart resolver, which says why
			return false;
		}
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (refused(parameter.getKey(), false)) {
				return true;
			}
			for (String value : parameter.getValue()) {
				if (refused(value, true)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Scans a JSON body kept by {@link RequestSizeFilter} (API and MCP) token by token. A body that
	 * is not valid JSON is not judged here: the handler's parser refuses it with its own code.
	 */
	private static boolean refusedJson(HttpServletRequest request) throws IOException {
		String type = request.getContentType();
		if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json") || !cached(request)) {
			return false;
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), request.getInputStream())) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				if (token == JsonToken.PROPERTY_NAME && refused(parser.currentName(), false)
						|| token == JsonToken.VALUE_STRING && refused(parser.getString(), true)) {
					return true;
				}
			}
		}
		catch (JacksonException e) {
			return false;
		}
		return false;
	}

	private static boolean cached(HttpServletRequest request) {
		return request instanceof CachedBodyRequest
				|| request instanceof ServletRequestWrapper wrapper && wrapper.isWrapperFor(CachedBodyRequest.class);
	}

	private static void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI();
		if (path.startsWith("/api/") || path.startsWith("/mcp") || path.startsWith("/actuator/")) {
			ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "invalid_characters",
					"The request holds a control character (such as NUL) in its path, a parameter or a JSON string; "
							+ "only tab, CR and LF are allowed, and only in text");
			return;
		}
		response.sendError(HttpStatus.BAD_REQUEST.value());
	}
}
