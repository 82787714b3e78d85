package dev.mailroom.platform.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.IdempotencyStore;
import dev.mailroom.platform.MailroomException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every MCP tool call goes through, around the feature's one service call: the acting API
 * key (put in the transport context by the HTTP transport), argument binding and validation,
 * the two-step confirmation of destructive tools, {@code idempotency_key} on creating tools
 * (the same store and rule as the REST {@code Idempotency-Key}), the mapping of the result or
 * failure, and the audit event. The daily quota is counted by the API security filter, once per
 * HTTP request, and so once per tool call.
 */
@Component
class ToolInvoker {

	/** Where the transport context holds the {@link Actor} of the HTTP request. */
	static final String ACTOR = "mailroom.actor";
	static final String IDEMPOTENCY_KEY = "idempotency_key";
	static final String CONFIRM_TOKEN = "confirm_token";
	/** Where {@code tools/list} names the API-key scope a tool needs (like REST's {@code x-required-scope}). */
	static final String REQUIRED_SCOPE = "dev.mailroom/required_scope";

	private static final Logger log = LoggerFactory.getLogger(ToolInvoker.class);

	private final JsonMapper json;
	private final McpJsonMapper protocolJson;
	private final Validator validator;
	private final ConfirmTokens confirmations;
	private final IdempotencyStore idempotency;
	private final McpResults results;
	private final ApplicationEventPublisher events;

	ToolInvoker(JsonMapper json, McpJsonMapper protocolJson, Validator validator, ConfirmTokens confirmations,
			IdempotencyStore idempotency, McpResults results, ApplicationEventPublisher events) {
		this.json = json;
		this.protocolJson = protocolJson;
		this.validator = validator;
		this.confirmations = confirmations;
		this.idempotency = idempotency;
		this.results = results;
		this.events = events;
	}

	/** How a call ended: the result, and for the audit its outcome and problem code. */
	private record Outcome(CallToolResult result, String label, String code, int status) {

		static Outcome of(McpResults.Failure failure) {
			return new Outcome(failure.result(), "error", failure.code(), failure.status());
		}
	}

	<A> SyncToolSpecification specification(McpTool<A> tool) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder()
				.name(tool.name())
				.title(tool.title())
				.description(description(tool))
				.inputSchema(inputSchema(tool))
				.annotations(annotations(tool))
				.meta(tool.scope() == null ? null : Map.of(REQUIRED_SCOPE, tool.scope()))
				.build())
			.callHandler((exchange, request) -> call(tool, exchange, request))
			.build();
	}

	<A> CallToolResult call(McpTool<A> tool, McpSyncServerExchange exchange, CallToolRequest request) {
		Actor actor = actorOf(exchange.transportContext());
		if (actor == null || actor.orgId() == null) {
			return results.failure(new MailroomException(HttpStatus.UNAUTHORIZED, "unauthorized",
					"Use an API key: Authorization: Bearer <API key>")).result();
		}
		Map<String, Object> arguments = new LinkedHashMap<>(request.arguments() == null ? Map.of() : request.arguments());
		Outcome outcome;
		try {
			outcome = switch (tool.effect()) {
				case DESTRUCTIVE -> {
					Object token = arguments.remove(CONFIRM_TOKEN);
					yield token == null ? preview(tool, actor, arguments) : confirmed(tool, actor, arguments, token);
				}
				case WRITE -> {
					Object key = arguments.remove(IDEMPOTENCY_KEY);
					yield key == null ? act(tool, actor, arguments) : once(tool, actor, arguments, key);
				}
				case READ_ONLY, IDEMPOTENT_WRITE -> act(tool, actor, arguments);
			};
		}
		catch (RuntimeException e) {
			outcome = Outcome.of(results.failure(e));
		}
		try {
			events.publishEvent(new McpToolCalled(actor, tool.name(), outcome.label(), outcome.code()));
		}
		catch (RuntimeException e) {
			log.error("Could not audit the MCP call {}", tool.name(), e);
		}
		return outcome.result();
	}

	private <A> Outcome act(McpTool<A> tool, Actor actor, Map<String, Object> arguments) {
		try {
			Object value = tool.action().call(actor, bind(tool, arguments));
			return new Outcome(results.success(tool, value), "ok", null, 200);
		}
		catch (RuntimeException e) {
			return Outcome.of(results.failure(e));
		}
	}

	private <A> Outcome preview(McpTool<A> tool, Actor actor, Map<String, Object> arguments) {
		A bound = bind(tool, arguments);
		// the key must be able to act before it is offered a confirmation (the service checks again)
		actor.requireScope(tool.scope());
		McpPreview preview = tool.preview().describe(actor, bound);
		ConfirmTokens.Issued issued = confirmations.issue(actor, tool.name(), canonical(arguments));
		return new Outcome(results.confirmationRequired(tool, preview, issued), "confirmation_required", null, 200);
	}

	private <A> Outcome confirmed(McpTool<A> tool, Actor actor, Map<String, Object> arguments, Object token) {
		if (!(token instanceof String text) || text.isBlank()) {
			throw MailroomException.invalid(CONFIRM_TOKEN, "invalid_confirm_token", "confirm_token must be a string");
		}
		confirmations.verify(actor, tool.name(), canonical(arguments), text);
		return act(tool, actor, arguments);
	}

	/** The REST {@code Idempotency-Key} rule, for the {@code idempotency_key} argument. */
	private <A> Outcome once(McpTool<A> tool, Actor actor, Map<String, Object> arguments, Object rawKey) {
		if (!(rawKey instanceof String key) || !IdempotencyStore.KEY.matcher(key).matches()) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "invalid_idempotency_key",
					"idempotency_key must be 1–255 visible ASCII characters");
		}
		String principal = IdempotencyStore.principal(actor);
		byte[] hash = IdempotencyStore
			.sha256(("MCP tools/call " + tool.name() + "\n" + canonical(arguments)).getBytes(StandardCharsets.UTF_8));
		return switch (idempotency.claim(principal, key, hash)) {
			case IdempotencyStore.Claim.First first -> {
				Outcome outcome = null;
				try {
					outcome = act(tool, actor, arguments);
				}
				finally {
					if (outcome != null && outcome.status() < 500) {
						idempotency.complete(principal, key, outcome.status(), "application/json", null, bytes(outcome.result()));
					}
					else {
						// a failed first attempt leaves the key free for a real retry
						idempotency.release(principal, key);
					}
				}
				yield outcome;
			}
			case IdempotencyStore.Claim.Replay replay -> {
				CallToolResult stored = read(replay.body());
				Map<String, Object> meta = new HashMap<>(stored.meta() == null ? Map.of() : stored.meta());
				meta.put("idempotent_replayed", true);
				yield new Outcome(new CallToolResult(stored.content(), stored.isError(), stored.structuredContent(), meta),
						"replayed", null, replay.status());
			}
			case IdempotencyStore.Claim.InUse inUse -> throw new MailroomException(HttpStatus.CONFLICT,
					"idempotency_key_in_use", "A call with this idempotency_key is still running; retry shortly");
			case IdempotencyStore.Claim.Reused reused -> throw new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT,
					"idempotency_key_reused", "This idempotency_key was used with other arguments; use a new key");
		};
	}

	/** Binds the arguments like a REST body (snake_case, unknown fields refused) and validates them. */
	private <A> A bind(McpTool<A> tool, Map<String, Object> arguments) {
		A bound;
		try {
			bound = json.convertValue(arguments, tool.arguments());
		}
		catch (IllegalArgumentException | JacksonException e) {
			throw unbindable(tool, e);
		}
		Set<ConstraintViolation<A>> violations = validator.validate(bound);
		if (!violations.isEmpty()) {
			List<MailroomException.FieldError> errors = violations.stream()
				.map(v -> new MailroomException.FieldError(snakeCase(v.getPropertyPath().toString()),
						codeOf(v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName()),
						v.getMessage()))
				.sorted(java.util.Comparator.comparing(MailroomException.FieldError::field))
				.toList();
			throw new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed",
					"The arguments have invalid fields", errors, Map.of());
		}
		return bound;
	}

	private static MailroomException unbindable(McpTool<?> tool, Exception e) {
		Throwable cause = e;
		while (cause != null && !(cause instanceof JacksonException)) {
			cause = cause.getCause();
		}
		String field = "arguments";
		if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			StringBuilder path = new StringBuilder();
			for (JacksonException.Reference reference : jackson.getPath()) {
				if (reference.getPropertyName() != null) {
					path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
				}
				else if (reference.getIndex() >= 0) {
					path.append('[').append(reference.getIndex()).append(']');
				}
			}
			field = path.isEmpty() ? field : path.toString();
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			@SuppressWarnings("unchecked")
			Map<String, Object> properties = (Map<String, Object>) tool.inputSchema().get("properties");
			return MailroomException.invalid(field, "unknown_field", "Unknown argument " + unknown.getPropertyName()
					+ "; " + tool.name() + " accepts: " + String.join(", ", properties.keySet()));
		}
		return MailroomException.invalid(field, "invalid_value",
				field + " has the wrong type or format (see the tool's input schema)");
	}

	private static Actor actorOf(McpTransportContext context) {
		return context != null && context.get(ACTOR) instanceof Actor actor ? actor : null;
	}

	/** The arguments as JSON with every object's keys sorted: the same call always reads the same. */
	private String canonical(Map<String, Object> arguments) {
		return json.writeValueAsString(sorted(arguments));
	}

	private static Object sorted(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> out = new TreeMap<>();
			map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
			return out;
		}
		if (value instanceof List<?> list) {
			List<Object> out = new ArrayList<>();
			list.forEach(v -> out.add(sorted(v)));
			return out;
		}
		return value;
	}

	private byte[] bytes(CallToolResult result) {
		try {
			return protocolJson.writeValueAsBytes(result);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private CallToolResult read(byte[] stored) {
		try {
			return protocolJson.readValue(stored, CallToolResult.class);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String description(McpTool<?> tool) {
		return switch (tool.effect()) {
			case DESTRUCTIVE -> tool.description() + " Takes two steps: a call without confirm_token changes nothing "
					+ "and returns what would happen with a confirm_token (valid " + ConfirmTokens.LIFETIME.toMinutes()
					+ " minutes); call again with exactly the same arguments plus that confirm_token to proceed.";
			case WRITE -> tool.description() + " Optional idempotency_key: a retry with the same key and arguments "
					+ "within 24 hours returns the first result and changes nothing.";
			case READ_ONLY, IDEMPOTENT_WRITE -> tool.description();
		};
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> inputSchema(McpTool<?> tool) {
		Map<String, Object> schema = new LinkedHashMap<>(tool.inputSchema());
		Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) schema.get("properties"));
		if (tool.effect() == McpTool.Effect.WRITE) {
			properties.put(IDEMPOTENCY_KEY, Map.of("type", "string", "minLength", 1, "maxLength", 255, "description",
					"Optional, your own unique key for this call (e.g. a UUID): retrying with the same key and the same "
							+ "arguments within 24 hours returns the first result and creates nothing new"));
		}
		if (tool.effect() == McpTool.Effect.DESTRUCTIVE) {
			properties.put(CONFIRM_TOKEN, Map.of("type", "string", "maxLength", 200, "description",
					"Leave out on the first call, which changes nothing and returns what would happen and a confirm_token; "
							+ "send that token with the same arguments to proceed"));
		}
		schema.put("properties", properties);
		return schema;
	}

	private static ToolAnnotations annotations(McpTool<?> tool) {
		return switch (tool.effect()) {
			case READ_ONLY -> new ToolAnnotations(tool.title(), true, false, true, false, null);
			case WRITE, IDEMPOTENT_WRITE -> new ToolAnnotations(tool.title(), false, false, tool.idempotent(),
					tool.openWorld(), null);
			case DESTRUCTIVE -> new ToolAnnotations(tool.title(), false, true, tool.idempotent(), tool.openWorld(), null);
		};
	}

	private static String snakeCase(String path) {
		return path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

	private static String codeOf(String constraint) {
		return switch (constraint) {
			case "NotBlank", "NotNull", "NotEmpty" -> "required";
			case "Size", "Length" -> "invalid_length";
			case "Min", "Max", "Positive", "PositiveOrZero", "Range" -> "out_of_range";
			case "Pattern" -> "invalid_format";
			default -> "invalid_value";
		};
	}
}
