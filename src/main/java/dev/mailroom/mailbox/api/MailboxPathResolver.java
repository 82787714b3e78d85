package dev.mailroom.mailbox.api;

import java.util.Map;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves the mailbox named in the path of every {@code /api/v1/mailboxes/{id}/…} endpoint,
 * whichever module serves it, before the body is read or validated: another organization's
 * mailbox is 404 even when the body is also invalid (a 422 would confirm that the id exists).
 * Interceptors run after the handler is chosen and before its arguments are resolved.
 */
@Component
class MailboxPathResolver implements HandlerInterceptor, WebMvcConfigurer {

	private static final String PATTERN = "/api/v1/mailboxes/{id}";

	private final MailboxService mailboxes;

	MailboxPathResolver(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/v1/mailboxes/*", "/api/v1/mailboxes/*/**");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod)) {
			return true;
		}
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		String matched = pattern == null ? "" : pattern.toString();
		if (!matched.equals(PATTERN) && !matched.startsWith(PATTERN + "/")) {
			return true;
		}
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		UUID id = uuid(variables == null ? null : variables.get("id"));
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (id != null && authentication != null && authentication.getPrincipal() instanceof Actor actor
				&& actor.orgId() != null) {
			mailboxes.requireVisible(actor, id);
		}
		return true;
	}

	/** A malformed id is left to the handler's own binding (400). */
	private static UUID uuid(String value) {
		try {
			return value == null ? null : UUID.fromString(value);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}
}
