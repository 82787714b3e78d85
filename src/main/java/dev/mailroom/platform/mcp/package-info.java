/**
 * The MCP server for AI agents: the streamable HTTP transport of the official MCP Java SDK
 * mounted at {@code /mcp}, the stdio bridge ({@code java -jar mailroom.jar mcp}), and what every
 * tool call shares — the acting API key, argument binding, the two-step confirmation of
 * destructive tools, {@code idempotency_key}, the one mapping of failures to {@code isError}
 * results, and the audit event. The tools themselves are thin adapters in each feature's
 * {@code mcp} package, published as {@link dev.mailroom.platform.mcp.McpTools} beans.
 */
package dev.mailroom.platform.mcp;
