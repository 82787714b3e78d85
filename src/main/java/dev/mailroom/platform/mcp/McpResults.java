package dev.mailroom.platform.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mailroom.platform.MailroomException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what a tool produced into a {@code CallToolResult}: the REST JSON (the application's own
 * snake_case mapper) in {@code structuredContent}, and a text block that opens with a short
 * sentence and carries the same JSON for clients that only read text. The one place where the
 * MCP channel maps failures: a {@link MailroomException} becomes {@code isError} with
 * {@code {code, message, status, errors?, items?, …}}; anything else is an {@code internal_error}
 * that never echoes internals.
 */
@Component
class McpResults {

	private static final Logger log = LoggerFactory.getLogger(McpResults.class);

	private final JsonMapper json;

	McpResults(JsonMapper json) {
		this.json = json;
	}

	/** A failure as the client sees it, with the HTTP status REST would have answered. */
	record Failure(int status, String code, CallToolResult result) {
	}

	/** {@code value} in its REST JSON shape, as a map. */
	Map<String, Object> restJson(Object value) {
		if (value == null) {
			return new LinkedHashMap<>();
		}
		return json.readValue(json.writeValueAsString(value), new TypeReference<LinkedHashMap<String, Object>>() {
		});
	}

	CallToolResult success(McpTool<?> tool, Object value) {
		Map<String, Object> structured = restJson(value);
		String opening = tool.done() != null ? tool.done() : generic(structured);
		return CallToolResult.builder()
			.structuredContent(structured)
			.addTextContent(opening + "\n" + json.writeValueAsString(structured))
			.isError(false)
			.build();
	}

	CallToolResult confirmationRequired(McpTool<?> tool, McpPreview preview, ConfirmTokens.Issued issued) {
		Map<String, Object> structured = new LinkedHashMap<>();
		structured.put("confirmation_required", true);
		structured.put("tool", tool.name());
		structured.put("summary", preview.summary());
		structured.put("confirm_token", issued.token());
		structured.put("expires_at", issued.expiresAt().toString());
		if (preview.target() != null) {
			structured.put("target", restJson(preview.target()));
		}
		String text = "Nothing was changed yet. " + preview.summary() + "\nTo proceed, call " + tool.name()
				+ " again with exactly the same arguments plus confirm_token \"" + issued.token() + "\" (valid "
				+ ConfirmTokens.LIFETIME.toMinutes() + " minutes).\n" + json.writeValueAsString(structured);
		return CallToolResult.builder().structuredContent(structured).addTextContent(text).isError(false).build();
	}

	Failure failure(Throwable e) {
		if (e instanceof MailroomException problem && problem.status().value() < 500) {
			return failure(problem);
		}
		if (e instanceof MailroomException problem) {
			log.warn("MCP tool failed: {} {}", problem.code(), problem.getMessage());
			return failure(problem);
		}
		log.error("Unexpected failure in an MCP tool", e);
		return failure(new MailroomException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"Something went wrong on our side; try again later"));
	}

	private Failure failure(MailroomException e) {
		Map<String, Object> structured = new LinkedHashMap<>();
		structured.put("code", e.code());
		structured.put("message", e.getMessage());
		structured.put("status", e.status().value());
		if (!e.errors().isEmpty()) {
			structured.put("errors", e.errors());
		}
		e.properties().forEach(structured::putIfAbsent);
		Map<String, Object> mapped = restJson(structured);
		StringBuilder text = new StringBuilder("Error ").append(e.code()).append(": ").append(e.getMessage());
		for (MailroomException.FieldError error : e.errors()) {
			text.append("\n- ").append(error.field()).append(" (").append(error.code()).append("): ").append(error.message());
		}
		if (mapped.get("items") instanceof List<?> items) {
			for (Object item : items) {
				if (item instanceof Map<?, ?> entry && entry.get("errors") instanceof List<?> errors) {
					for (Object error : errors) {
						if (error instanceof Map<?, ?> field) {
							text.append("\n- item ").append(entry.get("index")).append(", ").append(field.get("field"))
								.append(" (").append(field.get("code")).append("): ").append(field.get("message"));
						}
					}
				}
			}
		}
		CallToolResult result = CallToolResult.builder()
			.structuredContent(mapped)
			.addTextContent(text.toString())
			.isError(true)
			.build();
		return new Failure(e.status().value(), e.code(), result);
	}

	private static String generic(Map<String, Object> structured) {
		if (structured.get("items") instanceof List<?> items) {
			Object next = structured.get("next_cursor");
			return items.size() + " item(s)." + (next == null ? ""
					: " More exist: call again with cursor \"" + next + "\" to continue.");
		}
		return "Done.";
	}
}
