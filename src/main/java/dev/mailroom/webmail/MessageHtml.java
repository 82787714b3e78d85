package dev.mailroom.webmail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Turns the HTML part of an untrusted email into HTML that is safe to show in the reader's
 * sandboxed iframe. This is the first line of defence; the iframe sandbox and the page's CSP
 * are the others, so nothing here relies on them.
 *
 * <p>jsoup because one library gives both the {@link Safelist} cleaner and the DOM on which
 * images, links and inline styles are rewritten afterwards; the OWASP sanitizer would add Guava
 * and still need a DOM for the rewriting.
 *
 * <p>Elements are allow-listed ({@link Safelist#relaxed()} plus common email formatting), then
 * every URL-bearing attribute and every inline {@code style} is checked again here: links keep
 * only {@code http}, {@code https} and {@code mailto}; images only {@code cid:} (rewritten to our
 * URL), inline {@code data:} pictures and, if the reader asked for them, remote pictures.
 */
final class MessageHtml {

	/** What sanitising found, so the reader can offer "Show images". */
	record Result(String html, boolean blockedRemoteContent) {}

	// Raw-text, form and embedded content: their text is not message text (a <textarea> or
	// <title> would otherwise come out as visible text), so these go with everything inside.
	private static final String DROPPED_WITH_CONTENT = "head, script, style, template, iframe, frame, frameset, "
			+ "object, embed, applet, noscript, noembed, noframes, xmp, plaintext, textarea, select, title, svg, math";

	private static final Safelist SAFELIST = Safelist.relaxed()
		.addTags("center", "font", "hr", "s", "del", "ins", "big", "tt", "mark", "abbr", "address")
		.addAttributes(":all", "style", "dir", "lang")
		.addAttributes("a", "name")
		.addAttributes("table", "align", "bgcolor", "background", "border", "cellpadding", "cellspacing",
				"height")
		.addAttributes("tr", "align", "valign", "bgcolor", "height")
		.addAttributes("td", "align", "valign", "bgcolor", "background", "height", "nowrap")
		.addAttributes("th", "align", "valign", "bgcolor", "background", "height", "nowrap")
		.addAttributes("thead", "align", "valign")
		.addAttributes("tbody", "align", "valign")
		.addAttributes("tfoot", "align", "valign")
		.addAttributes("col", "align", "valign")
		.addAttributes("colgroup", "align", "valign")
		.addAttributes("font", "color", "face", "size")
		.addAttributes("img", "border", "hspace", "vspace")
		.addAttributes("hr", "align", "color", "noshade", "size", "width")
		.addAttributes("div", "align")
		.addAttributes("p", "align")
		.addAttributes("h1", "align")
		.addAttributes("h2", "align")
		.addAttributes("h3", "align")
		.addAttributes("h4", "align")
		.addAttributes("h5", "align")
		.addAttributes("h6", "align")
		// No ftp in a mail reader; image sources are checked below, where cid: and data: are known.
		.removeProtocols("a", "href", "ftp")
		.removeProtocols("img", "src", "http", "https");

	private static final List<String> LINK_SCHEMES = List.of("http:", "https:", "mailto:");

	private static final Pattern INLINE_IMAGE = Pattern.compile("^data:image/(png|gif|jpeg|webp)[;,].*",
			Pattern.DOTALL);

	// Checked after comments, escapes and whitespace are gone, lower-case. image-set(), image()
	// and src() load URLs without url(); the rest are scripting hooks of old browsers.
	private static final List<String> FORBIDDEN_IN_STYLE = List.of("expression(", "behavior", "-moz-binding",
			"@import", "javascript:", "vbscript:", "image-set(", "image(", "cross-fade(", "src(", "progid:");

	private final boolean showRemoteContent;

	private final Function<String, String> cidUrl;

	private boolean blockedRemoteContent;

	private MessageHtml(boolean showRemoteContent, Function<String, String> cidUrl) {
		this.showRemoteContent = showRemoteContent;
		this.cidUrl = cidUrl;
	}

	/**
	 * Sanitises {@code html} for display.
	 * @param html the message's HTML part, may be {@code null}
	 * @param showRemoteContent whether remote images and backgrounds are kept
	 * @param cidUrl maps a Content-ID (without {@code cid:} and {@code <>}) to the URL serving that
	 * part, or {@code null} when the message has no such part; its result is used as is
	 * @return the cleaned inner HTML of the body (never {@code null}) and whether remote content
	 * was left out that {@code showRemoteContent} would have kept
	 */
	static Result sanitize(String html, boolean showRemoteContent, Function<String, String> cidUrl) {
		if (html == null || html.isBlank()) {
			return new Result("", false);
		}
		Document dirty = Jsoup.parse(html);
		dirty.select(DROPPED_WITH_CONTENT).remove();
		Document clean = new Cleaner(SAFELIST).clean(dirty);
		clean.outputSettings().prettyPrint(false);
		MessageHtml rewriter = new MessageHtml(showRemoteContent, cidUrl);
		for (Element element : clean.body().getAllElements()) {
			rewriter.rewrite(element);
		}
		return new Result(clean.body().html(), rewriter.blockedRemoteContent);
	}

	private void rewrite(Element element) {
		if (element.hasAttr("href")) {
			rewriteLink(element);
		}
		if (element.hasAttr("src")) {
			rewriteImageSource(element);
		}
		if (element.hasAttr("background")) {
			String background = imageUrl(element.attr("background"));
			if (background == null) {
				element.removeAttr("background");
			}
			else {
				element.attr("background", background);
			}
		}
		if (element.hasAttr("style")) {
			String style = style(element.attr("style"));
			if (style.isEmpty()) {
				element.removeAttr("style");
			}
			else {
				element.attr("style", style);
			}
		}
	}

	private void rewriteLink(Element element) {
		String href = normalisedUrl(element.attr("href"));
		if (LINK_SCHEMES.stream().noneMatch(href::startsWith)) {
			element.removeAttr("href");
			return;
		}
		// The sandbox would block navigating the frame itself; a link opens on its own, unable to
		// reach back to the reader.
		element.attr("target", "_blank");
		element.attr("rel", "noopener noreferrer");
	}

	private void rewriteImageSource(Element element) {
		String src = element.attr("src");
		String url = imageUrl(src);
		if (url != null) {
			element.attr("src", url);
			return;
		}
		element.removeAttr("src");
		if (!this.showRemoteContent && isRemote(normalisedUrl(src))) {
			element.attr("data-blocked", "remote");
		}
	}

	/** The URL to load for an image or background, or {@code null} to drop it. */
	private String imageUrl(String value) {
		String url = normalisedUrl(value);
		if (url.startsWith("cid:")) {
			String contentId = stripAngleBrackets(trimmedUrl(value).substring(4).strip());
			return (contentId.isEmpty() || this.cidUrl == null) ? null : this.cidUrl.apply(contentId);
		}
		if (INLINE_IMAGE.matcher(url).matches()) {
			return value;
		}
		if (isRemote(url)) {
			if (this.showRemoteContent) {
				return value;
			}
			this.blockedRemoteContent = true;
		}
		return null;
	}

	private static String stripAngleBrackets(String contentId) {
		if (contentId.startsWith("<") && contentId.endsWith(">") && contentId.length() >= 2) {
			return contentId.substring(1, contentId.length() - 1).strip();
		}
		return contentId;
	}

	/** Lower-cased, as a browser reads the scheme. */
	private static String normalisedUrl(String value) {
		return trimmedUrl(value).toLowerCase(Locale.ROOT);
	}

	/** As a browser reads a URL attribute: tabs and newlines anywhere and C0 around ignored. */
	private static String trimmedUrl(String value) {
		String url = value.replaceAll("[\\t\\n\\r]", "");
		int start = 0;
		int end = url.length();
		while (start < end && url.charAt(start) <= ' ') {
			start++;
		}
		while (end > start && url.charAt(end - 1) <= ' ') {
			end--;
		}
		return url.substring(start, end);
	}

	/**
	 * Protocol-relative counts: in the reader's frame it resolves against our origin's scheme,
	 * and browsers read a backslash there as a slash.
	 */
	private static boolean isRemote(String normalisedUrl) {
		return normalisedUrl.startsWith("http://") || normalisedUrl.startsWith("https://")
				|| normalisedUrl.replace('\\', '/').startsWith("//");
	}

	/** The declarations of an inline style that may stay, or "" when none may. */
	private String style(String style) {
		List<String> kept = new ArrayList<>();
		for (String declaration : declarations(style)) {
			if (!declaration.isBlank() && keeps(declaration)) {
				kept.add(declaration.strip());
			}
		}
		String result = String.join("; ", kept);
		// Should this split have read the text differently from a browser, the whole is checked once more.
		return (result.isEmpty() || keeps(result)) ? result : "";
	}

	private enum StyleVerdict {

		KEEP, REMOTE, DROP

	}

	private boolean keeps(String declaration) {
		StyleVerdict withoutComments = verdict(cssCheckText(declaration, true));
		StyleVerdict withComments = verdict(cssCheckText(declaration, false));
		if (withoutComments == StyleVerdict.DROP || withComments == StyleVerdict.DROP) {
			return false;
		}
		if (withoutComments == StyleVerdict.REMOTE || withComments == StyleVerdict.REMOTE) {
			if (!this.showRemoteContent) {
				this.blockedRemoteContent = true;
				return false;
			}
		}
		return true;
	}

	private static StyleVerdict verdict(String text) {
		for (String forbidden : FORBIDDEN_IN_STYLE) {
			if (text.contains(forbidden)) {
				return StyleVerdict.DROP;
			}
		}
		StyleVerdict verdict = StyleVerdict.KEEP;
		int at = text.indexOf("url(");
		while (at >= 0) {
			int close = text.indexOf(')', at);
			String argument = text.substring(at + 4, (close < 0) ? text.length() : close);
			argument = argument.replace("\"", "").replace("'", "");
			if (isRemote(argument)) {
				verdict = StyleVerdict.REMOTE;
			}
			else if (!INLINE_IMAGE.matcher(argument).matches()) {
				return StyleVerdict.DROP;
			}
			at = text.indexOf("url(", at + 4);
		}
		return verdict;
	}

	/**
	 * Splits an inline style at the semicolons a CSS parser would split at: not inside strings,
	 * parentheses or comments, and not escaped.
	 */
	private static List<String> declarations(String style) {
		List<String> declarations = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		boolean inComment = false;
		char quote = 0;
		int depth = 0;
		for (int i = 0; i < style.length(); i++) {
			char c = style.charAt(i);
			if (inComment) {
				if (c == '*' && i + 1 < style.length() && style.charAt(i + 1) == '/') {
					inComment = false;
					current.append(c);
					c = style.charAt(++i);
				}
			}
			else if (c == '\\') {
				if (i + 1 < style.length()) {
					current.append(c);
					c = style.charAt(++i);
				}
			}
			else if (quote != 0) {
				if (c == quote || c == '\n' || c == '\r' || c == '\f') {
					quote = 0;
				}
			}
			else if (c == '/' && i + 1 < style.length() && style.charAt(i + 1) == '*') {
				inComment = true;
				current.append(c);
				c = style.charAt(++i);
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth = Math.max(0, depth - 1);
			}
			else if (c == ';' && depth == 0) {
				declarations.add(current.toString());
				current.setLength(0);
				continue;
			}
			current.append(c);
		}
		declarations.add(current.toString());
		return declarations;
	}

	/**
	 * A declaration as a browser would read it, for looking for dangerous words: comments removed
	 * (or, as the second reading, kept), CSS escapes decoded, no whitespace, lower case.
	 */
	private static String cssCheckText(String declaration, boolean removeComments) {
		StringBuilder text = new StringBuilder();
		int i = 0;
		while (i < declaration.length()) {
			char c = declaration.charAt(i);
			if (removeComments && c == '/' && i + 1 < declaration.length() && declaration.charAt(i + 1) == '*') {
				int end = declaration.indexOf("*/", i + 2);
				i = (end < 0) ? declaration.length() : end + 2;
			}
			else if (c == '\\') {
				i = decodeEscape(declaration, i + 1, text);
			}
			else {
				text.append(c);
				i++;
			}
		}
		return text.toString().replaceAll("[\\s\\x00-\\x1f]+", "").toLowerCase(Locale.ROOT);
	}

	/** Appends what the escape starting after a backslash at {@code i} stands for; returns the next index. */
	private static int decodeEscape(String text, int i, StringBuilder out) {
		if (i >= text.length()) {
			return i;
		}
		int end = i;
		while (end < text.length() && end - i < 6 && Character.digit(text.charAt(end), 16) >= 0) {
			end++;
		}
		if (end == i) {
			// An escaped newline is a line continuation; any other character stands for itself.
			out.append(text.charAt(i));
			return i + 1;
		}
		int codePoint = Integer.parseInt(text, i, end, 16);
		boolean valid = codePoint != 0 && codePoint <= Character.MAX_CODE_POINT
				&& !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
		out.appendCodePoint(valid ? codePoint : 0xFFFD);
		if (end < text.length() && Character.isWhitespace(text.charAt(end))) {
			end++;
		}
		return end;
	}

}
