package dev.mailroom.platform.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mailroom.platform.MailroomException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem responses with the stable {@code code} member. */
public final class ProblemResponses {

	private ProblemResponses() {
	}

	public static ProblemDetail problem(HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("https://mailroom.dev/problems/" + code.replace('_', '-')));
		problem.setTitle(status.getReasonPhrase());
		problem.setProperty("code", code);
		return problem;
	}

	public static ProblemDetail problem(MailroomException e) {
		ProblemDetail problem = problem(e.status(), e.code(), e.getMessage());
		if (!e.errors().isEmpty()) {
			problem.setProperty("errors", e.errors());
		}
		e.properties().forEach(problem::setProperty);
		return problem;
	}

	public static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	public static ProblemDetail validation(List<MailroomException.FieldError> errors) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed",
				"The request has invalid fields");
		problem.setProperty("errors", errors);
		return problem;
	}

	/** Answers {@code response} with a problem, for filters and handlers that run before Spring MVC. */
	public static void write(HttpServletResponse response, HttpStatus status, String code, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(json(status, code, detail).getBytes(StandardCharsets.UTF_8));
	}

	/** Minimal JSON for filters that answer before Spring MVC (no message converters there). */
	public static String json(HttpStatus status, String code, String detail) {
		return "{\"type\":\"https://mailroom.dev/problems/" + code.replace('_', '-') + "\",\"title\":\""
				+ status.getReasonPhrase() + "\",\"status\":" + status.value() + ",\"detail\":\"" + escape(detail)
				+ "\",\"code\":\"" + code + "\"}";
	}

	private static String escape(String text) {
		StringBuilder out = new StringBuilder();
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

}
