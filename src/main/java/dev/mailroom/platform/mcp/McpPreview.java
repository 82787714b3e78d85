package dev.mailroom.platform.mcp;

/**
 * What a destructive tool would do, shown by its first call (which changes nothing).
 *
 * @param summary one or two sentences: the target and every effect, in plain words
 * @param target the object as it is now, in its REST JSON shape ({@code null} if none)
 */
public record McpPreview(String summary, Object target) {
}
