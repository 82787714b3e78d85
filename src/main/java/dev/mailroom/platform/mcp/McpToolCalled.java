package dev.mailroom.platform.mcp;

import dev.mailroom.platform.Actor;

/**
 * A tool was called through MCP (published after every call, whatever its outcome; the audit
 * module records it as {@code mcp.<tool>}).
 *
 * @param outcome {@code ok}, {@code error}, {@code confirmation_required} or {@code replayed}
 * @param code the problem code of a failed call, else {@code null}
 */
public record McpToolCalled(Actor actor, String tool, String outcome, String code) {
}
