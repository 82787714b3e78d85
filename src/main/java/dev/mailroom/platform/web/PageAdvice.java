package dev.mailroom.platform.web;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The one place where failures of {@link PageController pages} become what a person sees: a
 * refused form comes back (POST-redirect-GET) with its input, a message and per-field errors; an
 * htmx request gets an alert fragment swapped into the element it names; a page that cannot be
 * shown becomes the error page. Every page also gets the signed-in user as {@code currentUser}.
 */
@ControllerAdvice(annotations = PageController.class)
class PageAdvice {

	/** Codes whose service message is written for API clients; pages say it in plainer words. */
	private static final Map<String, String> FRIENDLY = Map.of(
			"dns_record_not_found",
			"We could not find the TXT record yet — DNS changes can take a few minutes. Check the record and try again.",
			"dns_unavailable", "We could not reach DNS just now. Please try again in a minute.",
			"unauthorized", "Please sign in again.");

	private static final Pattern ELEMENT_ID = Pattern.compile("#[A-Za-z][A-Za-z0-9_-]{0,100}");

	/** The header an htmx element sets (from {@code data-errors}) to say where its errors go. */
	static final String ERRORS_TARGET_HEADER = "X-Errors-Target";

	@ModelAttribute
	void common(Model model) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
			model.addAttribute("currentUser", actor);
		}
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", FormValues.EMPTY);
		}
		if (!model.containsAttribute("fieldErrors")) {
			model.addAttribute("fieldErrors", Map.of());
		}
	}

	@ExceptionHandler(MailroomException.class)
	ModelAndView refused(MailroomException e, HttpServletRequest request, HttpServletResponse response) {
		String message = FRIENDLY.getOrDefault(e.code(), e.getMessage());
		Map<String, String> fieldErrors = new LinkedHashMap<>();
		e.errors().forEach(error -> fieldErrors.putIfAbsent(error.field(), FRIENDLY.getOrDefault(error.code(), error.message())));
		return answer(e.status(), message, fieldErrors, request, response);
	}

	@ExceptionHandler(BindException.class)
	ModelAndView invalid(BindException e, HttpServletRequest request, HttpServletResponse response) {
		Map<String, String> fieldErrors = new LinkedHashMap<>();
		e.getFieldErrors().forEach(error -> fieldErrors.putIfAbsent(error.getField(),
				error.isBindingFailure() ? "This value is not valid" : error.getDefaultMessage()));
		return answer(HttpStatus.UNPROCESSABLE_CONTENT, "Please check the highlighted fields.", fieldErrors, request,
				response);
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class })
	ModelAndView malformed(Exception e, HttpServletRequest request, HttpServletResponse response) {
		return answer(HttpStatus.BAD_REQUEST, "Some of the values sent are missing or not valid.", Map.of(), request,
				response);
	}

	private ModelAndView answer(HttpStatus status, String message, Map<String, String> fieldErrors,
			HttpServletRequest request, HttpServletResponse response) {
		if ("true".equals(request.getHeader("HX-Request"))) {
			// htmx swaps only 2xx answers by default; the alert goes where the element asked for it
			String target = request.getHeader(ERRORS_TARGET_HEADER);
			response.setHeader("HX-Retarget", target != null && ELEMENT_ID.matcher(target).matches() ? target : "#flash");
			response.setHeader("HX-Reswap", "innerHTML");
			// overrides an hx-select meant for the success answer (e.g. "#main"), which this one lacks
			response.setHeader("HX-Reselect", ".alert");
			ModelAndView alert = new ModelAndView("fragments/alerts :: error");
			alert.addObject("message", message);
			alert.addObject("details", fieldErrors.values().stream().filter(m -> !m.equals(message)).distinct().toList());
			alert.setStatus(HttpStatus.OK);
			return alert;
		}
		if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
			ModelAndView page = new ModelAndView("error");
			page.addObject("status", status.value());
			page.addObject("error", status.getReasonPhrase());
			page.addObject("message", message);
			page.setStatus(status);
			return page;
		}
		FlashMap flash = RequestContextUtils.getOutputFlashMap(request);
		flash.put("error", message);
		flash.put("fieldErrors", new HashMap<>(fieldErrors));
		flash.put("form", FormValues.of(request.getParameterMap()));
		return new ModelAndView("redirect:" + formPage(request));
	}

	/**
	 * Where the refused form was: the same-origin page it was posted from, or else the first
	 * segment of the path it was posted to ({@code /domains/{id}/verify} → {@code /domains}).
	 */
	static String formPage(HttpServletRequest request) {
		String referer = request.getHeader("Referer");
		if (referer != null) {
			try {
				URI uri = URI.create(referer);
				String host = request.getHeader("Host");
				String path = uri.getRawPath();
				if (uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host) && path != null
						&& path.startsWith("/") && !path.startsWith("//")) {
					return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
				}
			}
			catch (IllegalArgumentException ignored) {
				// an unusable Referer falls back to the path
			}
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		int next = path.indexOf('/', 1);
		return next > 0 ? path.substring(0, next) : (path.isEmpty() ? "/" : path);
	}
}
