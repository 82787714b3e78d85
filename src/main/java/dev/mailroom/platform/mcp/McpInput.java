package dev.mailroom.platform.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a tool's input JSON schema (an object with described, bounded properties and no others).
 * Property names are the snake_case names of the REST body.
 */
public final class McpInput {

	private final Map<String, Object> properties = new LinkedHashMap<>();
	private final List<String> required = new ArrayList<>();

	private McpInput() {
	}

	public static McpInput object() {
		return new McpInput();
	}

	public McpInput uuid(String name, String description, boolean isRequired) {
		return property(name, isRequired, "type", "string", "format", "uuid", "description", description);
	}

	public McpInput string(String name, String description, int maxLength, boolean isRequired) {
		return property(name, isRequired, "type", "string", "maxLength", maxLength, "description", description);
	}

	public McpInput email(String name, String description, boolean isRequired) {
		return property(name, isRequired, "type", "string", "maxLength", 254, "description", description);
	}

	public McpInput integer(String name, String description, long minimum, long maximum, boolean isRequired) {
		return property(name, isRequired, "type", "integer", "minimum", minimum, "maximum", maximum, "description",
				description);
	}

	public McpInput oneOf(String name, String description, List<String> values, boolean isRequired) {
		return property(name, isRequired, "type", "string", "enum", List.copyOf(values), "description", description);
	}

	public McpInput array(String name, String description, McpInput items, int minItems, int maxItems,
			boolean isRequired) {
		return property(name, isRequired, "type", "array", "items", items.schema(), "minItems", minItems, "maxItems",
				maxItems, "description", description);
	}

	/** {@code limit} and {@code cursor}, as for every REST list. */
	public McpInput page() {
		integer("limit", "How many items to return (default 50)", 1, 200, false);
		return string("cursor", "The next_cursor of the previous page, to continue after it", 1000, false);
	}

	/** Adds a property given as JSON schema keywords and values. */
	McpInput property(String name, boolean isRequired, Object... keywordsAndValues) {
		Map<String, Object> property = new LinkedHashMap<>();
		for (int i = 0; i < keywordsAndValues.length; i += 2) {
			property.put((String) keywordsAndValues[i], keywordsAndValues[i + 1]);
		}
		properties.put(name, property);
		if (isRequired) {
			required.add(name);
		}
		return this;
	}

	boolean has(String name) {
		return properties.containsKey(name);
	}

	public Map<String, Object> schema() {
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("type", "object");
		schema.put("properties", new LinkedHashMap<>(properties));
		if (!required.isEmpty()) {
			schema.put("required", List.copyOf(required));
		}
		schema.put("additionalProperties", false);
		return schema;
	}
}
