package dev.mailroom.platform.mcp;

import java.util.List;

/** The tools one feature publishes; the MCP server collects every bean of this type. */
public record McpTools(List<McpTool<?>> tools) {

	public McpTools {
		tools = List.copyOf(tools);
	}

	public static McpTools of(McpTool<?>... tools) {
		return new McpTools(List.of(tools));
	}
}
