package dev.mailroom.platform;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure a client can act on. Every channel maps it in one place: REST to an RFC 9457
 * problem with {@code code}, MCP to an error result, the UI to a form message.
 */
public class MailroomException extends RuntimeException {

	private final HttpStatus status;
	private final String code;
	private final List<FieldError> errors;
	private final Map<String, Object> properties;

	public MailroomException(HttpStatus status, String code, String message) {
		this(status, code, message, List.of(), Map.of());
	}

	public MailroomException(HttpStatus status, String code, String message, List<FieldError> errors,
			Map<String, Object> properties) {
		super(message);
		this.status = status;
		this.code = code;
		this.errors = List.copyOf(errors);
		this.properties = Map.copyOf(properties);
	}

	public HttpStatus status() {
		return status;
	}

	public String code() {
		return code;
	}

	public List<FieldError> errors() {
		return errors;
	}

	public Map<String, Object> properties() {
		return properties;
	}

	/** One invalid field of a request: {@code {field, code, message}}. */
	public record FieldError(String field, String code, String message) {
	}

	public static MailroomException notFound(String what) {
		return new MailroomException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
	}

	public static MailroomException forbidden(String message) {
		return new MailroomException(HttpStatus.FORBIDDEN, "forbidden", message);
	}

	public static MailroomException invalid(String field, String code, String message) {
		return new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, code, message,
				List.of(new FieldError(field, code, message)), Map.of());
	}

	public static MailroomException conflict(String code, String message) {
		return new MailroomException(HttpStatus.CONFLICT, code, message);
	}
}
