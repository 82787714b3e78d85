package dev.mailroom.platform.web;

import java.util.List;

import dev.mailroom.platform.MailroomException;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where REST failures become problem details. Bad input of any kind is a 4xx
 * with a {@code code}; only a real fault is a 500, and its detail never echoes internals.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(MailroomException.class)
	ResponseEntity<ProblemDetail> mailroom(MailroomException e) {
		ResponseEntity<ProblemDetail> response = ProblemResponses.response(ProblemResponses.problem(e));
		Object retryAfter = e.properties().get("retry_after_seconds");
		if (retryAfter != null) {
			return ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.header("Retry-After", retryAfter.toString())
				.body(response.getBody());
		}
		return response;
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
		List<MailroomException.FieldError> errors = e.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> new MailroomException.FieldError(snakeCase(error.getField()), codeOf(error.getCode()),
					error.getDefaultMessage()))
			.toList();
		return ProblemResponses.response(ProblemResponses.validation(errors));
	}

	@ExceptionHandler(HandlerMethodValidationException.class)
	ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e) {
		List<MailroomException.FieldError> errors = e.getParameterValidationResults()
			.stream()
			.flatMap(result -> result.getResolvableErrors()
				.stream()
				.map(error -> new MailroomException.FieldError(result.getMethodParameter().getParameterName(),
						"invalid_value", error.getDefaultMessage())))
			.toList();
		return ProblemResponses.response(ProblemResponses.validation(errors));
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
		List<MailroomException.FieldError> errors = e.getConstraintViolations()
			.stream()
			.map(v -> new MailroomException.FieldError(v.getPropertyPath().toString(), "invalid_value", v.getMessage()))
			.toList();
		return ProblemResponses.response(ProblemResponses.validation(errors));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
		return bad("malformed_request",
				"The request body is not valid JSON for this endpoint (check the syntax, field names and types)");
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
			MissingRequestHeaderException.class })
	ResponseEntity<ProblemDetail> badParameter(Exception e) {
		return bad("invalid_parameter", "A query parameter, path variable or header is missing or malformed");
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
				"Method " + e.getMethod() + " is not allowed here"));
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"unsupported_media_type", "Send the body as application/json"));
	}

	@ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
	ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
				"This endpoint answers application/json"));
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
				"The request body is too large"));
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.NOT_FOUND, "not_found", "No such resource"));
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.FORBIDDEN, "forbidden",
				"You are not allowed to do this"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception e) {
		log.error("Unexpected failure", e);
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"Something went wrong on our side; the request id identifies it in the logs"));
	}

	private static ResponseEntity<ProblemDetail> bad(String code, String detail) {
		return ProblemResponses.response(ProblemResponses.problem(HttpStatus.BAD_REQUEST, code, detail));
	}

	private static String codeOf(String constraint) {
		if (constraint == null) {
			return "invalid_value";
		}
		return switch (constraint) {
			case "NotBlank", "NotNull", "NotEmpty" -> "required";
			case "Size", "Length" -> "invalid_length";
			case "Email" -> "invalid_email";
			case "Min", "Max", "Positive", "PositiveOrZero", "Range" -> "out_of_range";
			case "Pattern" -> "invalid_format";
			default -> "invalid_value";
		};
	}

	static String snakeCase(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
	}
}
