package dev.mailroom.webmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import dev.mailroom.webmail.MessageHtml.Result;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An untrusted message's HTML comes out without anything that runs, submits, frames or loads
 * from elsewhere unasked, and with the formatting an email needs.
 */
class MessageHtmlTests {

	private static final Function<String, String> CID_URL = (contentId) -> "/mail/parts/" + contentId;

	private static Result sanitize(String html) {
		return MessageHtml.sanitize(html, false, CID_URL);
	}

	private static Document parsed(Result result) {
		return Jsoup.parseBodyFragment(result.html());
	}

	private static Document sanitized(String html) {
		return parsed(sanitize(html));
	}

	private static List<String> eventHandlers(Document document) {
		return document.getAllElements()
			.stream()
			.flatMap((element) -> element.attributes().asList().stream())
			.map(Attribute::getKey)
			.filter((key) -> key.toLowerCase(Locale.ROOT).startsWith("on"))
			.toList();
	}

	@Test
	void answersEmptyForNoHtml() {
		assertThat(MessageHtml.sanitize(null, false, CID_URL)).isEqualTo(new Result("", false));
		assertThat(MessageHtml.sanitize("", true, CID_URL)).isEqualTo(new Result("", false));
		assertThat(MessageHtml.sanitize("<html><head><title>t</title></head></html>", false, CID_URL))
			.isEqualTo(new Result("", false));
	}

	@Test
	void dropsScriptsWithTheirContent() {
		Document document = sanitized("<p>Hello</p><script>alert(1)</script><SCRIPT SRC=http://x/x.js></SCRIPT>");
		assertThat(document.select("script")).isEmpty();
		assertThat(document.body().text()).isEqualTo("Hello");
	}

	@Test
	void dropsEventHandlerAttributes() {
		Document document = sanitized("<img src=\"cid:a\" onerror=\"alert(1)\"><p onclick=\"alert(1)\">Hi</p>"
				+ "<body onload=\"alert(1)\"><font color=red onmouseover=alert(1)>x</font>");
		assertThat(eventHandlers(document)).isEmpty();
		assertThat(document.select("img")).hasSize(1);
		assertThat(document.select("p").text()).isEqualTo("Hi");
	}

	@ParameterizedTest
	@ValueSource(strings = { "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
			"java&#x09;script:alert(1)", " &#14; javascript:alert(1)", "vbscript:msgbox(1)",
			"data:text/html,<script>alert(1)</script>", "/relative/path", "ftp://x/file" })
	void dropsLinkTargetsOtherThanWebAndMail(String href) {
		Document document = sanitized("<a href=\"" + href + "\">click</a>");
		Element link = document.selectFirst("a");
		assertThat(link).isNotNull();
		assertThat(link.hasAttr("href")).isFalse();
		assertThat(link.text()).isEqualTo("click");
	}

	@Test
	void opensKeptLinksOnTheirOwn() {
		Document document = sanitized("<a href=\"https://example.com/a?b=c\">web</a>"
				+ "<a href=\"mailto:ann@example.com\" target=\"_top\">mail</a>");
		assertThat(document.select("a")).hasSize(2).allSatisfy((link) -> {
			assertThat(link.attr("target")).isEqualTo("_blank");
			assertThat(link.attr("rel")).isEqualTo("noopener noreferrer");
		});
		assertThat(document.select("a").eachAttr("href")).containsExactly("https://example.com/a?b=c",
				"mailto:ann@example.com");
	}

	@Test
	void dropsFormsAndTheirControls() {
		Document document = sanitized("<form action=\"https://x/steal\" method=post><p>Name</p><input name=a>"
				+ "<button formaction=\"javascript:alert(1)\">Go</button><textarea>secret</textarea>"
				+ "<select><option>o</option></select></form>");
		assertThat(document.select("form, input, button, textarea, select, option")).isEmpty();
		assertThat(document.body().text()).doesNotContain("secret");
		assertThat(document.select("p").text()).isEqualTo("Name");
	}

	@Test
	void dropsFramesAndEmbeddedObjects() {
		Document document = sanitized("<iframe src=\"https://x/\">inside</iframe><object data=\"x.swf\"></object>"
				+ "<embed src=\"x.swf\"><frameset><frame src=\"https://x\"></frameset><p>kept</p>");
		assertThat(document.select("iframe, object, embed, frame, frameset")).isEmpty();
		assertThat(document.body().text()).isEqualTo("kept");
	}

	@Test
	void dropsSvgAndMath() {
		Document document = sanitized("<svg onload=\"alert(1)\"><circle r=\"5\"/><script>alert(2)</script></svg>"
				+ "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math><p>kept</p>");
		assertThat(document.select("svg, circle, math, mi, script")).isEmpty();
		assertThat(eventHandlers(document)).isEmpty();
		assertThat(document.body().text()).isEqualTo("kept");
	}

	@Test
	void dropsStyleElementsButNotInlineStyles() {
		Result result = sanitize("<style>@import url(http://x/a.css); p { color: red }</style>"
				+ "<p style=\"color:red\">kept</p>");
		Document document = parsed(result);
		assertThat(document.select("style")).isEmpty();
		assertThat(result.html()).doesNotContain("@import");
		assertThat(document.selectFirst("p").attr("style")).isEqualTo("color:red");
		// Showing remote content would not bring the style sheet back, so nothing is "blocked".
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@Test
	void dropsDocumentLevelElements() {
		Document document = sanitized("<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://x/\">"
				+ "<base href=\"https://evil.example/\"><link rel=\"stylesheet\" href=\"https://x/a.css\"></head>"
				+ "<body><p>kept</p><meta http-equiv=\"refresh\" content=\"0\"><link rel=stylesheet href=x.css>"
				+ "<base href=\"https://evil.example/\"></body></html>");
		assertThat(document.select("meta, base, link, head > *")).isEmpty();
		assertThat(document.body().text()).isEqualTo("kept");
	}

	@Test
	void dropsSrcset() {
		Document document = sanitized("<img src=\"cid:a\" srcset=\"https://x/a.png 2x\">"
				+ "<picture><source srcset=\"https://x/b.png\"><img src=\"cid:b\"></picture>");
		assertThat(document.select("[srcset], source, picture")).isEmpty();
		assertThat(document.select("img")).hasSize(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "background:url(http://x/a.png)", "background:URL( 'https://x/a.png' )",
			"background:u\\72l(http://x/a.png)", "background:u\\rl(http://x/a.png)",
			"background:u&#114;l(http://x/a.png)", "background:u/**/rl(http://x/a.png)",
			"background-image:\\75\\72\\6c(http://x/a.png)", "list-style-image:url(//x/a.png)" })
	void blocksRemoteUrlsInInlineStyles(String declaration) {
		Result result = sanitize("<div style=\"color:red; " + declaration + "; font-weight:bold\">x</div>");
		assertThat(parsed(result).selectFirst("div").attr("style")).isEqualTo("color:red; font-weight:bold");
		assertThat(result.blockedRemoteContent()).isTrue();
	}

	@Test
	void keepsRemoteUrlsInInlineStylesWhenShown() {
		Result result = MessageHtml.sanitize("<table><tr><td style=\"background:url(https://x/a.png)\">x</td></tr></table>",
				true, CID_URL);
		assertThat(parsed(result).selectFirst("[style]").attr("style")).isEqualTo("background:url(https://x/a.png)");
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "width:expression(alert(1))", "width:expr/**/ession(alert(1))",
			"width:\\65xpression(alert(1))", "behavior:url(x.htc)", "-moz-binding:url(http://x/a.xml#b)",
			"background:url(javascript:alert(1))", "background:url(\"data:text/html,<b>x</b>\")",
			"background:url(cid:a)", "background:image-set('https://x/a.png' 1x)",
			"background:url(/relative.png)", "@import 'https://x/a.css'" })
	void alwaysDropsScriptingAndNonImageUrlsInInlineStyles(String declaration) {
		for (boolean show : List.of(false, true)) {
			Result result = MessageHtml.sanitize("<p style=\"" + declaration + "\">x</p>", show, CID_URL);
			assertThat(parsed(result).selectFirst("p").hasAttr("style")).as("shown: %s", show).isFalse();
		}
	}

	@Test
	void keepsInlineImagesInInlineStyles() {
		Result result = sanitize("<p style=\"background:url(data:image/png;base64,iVBORw0KGgo=)\">x</p>");
		assertThat(parsed(result).selectFirst("p").attr("style"))
			.isEqualTo("background:url(data:image/png;base64,iVBORw0KGgo=)");
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@Test
	void keepsSemicolonsInsideStringsAndParentheses() {
		Document document = sanitized("<p style=\"font-family:'a;b', serif; color:red\">x</p>");
		assertThat(document.selectFirst("p").attr("style")).isEqualTo("font-family:'a;b', serif; color:red");
	}

	@Test
	void blocksRemoteImagesByDefault() {
		Result result = sanitize("<p>Hi</p><img src=\"https://tracker.example/pixel.gif\" alt=\"Logo\" width=\"1\">");
		Element image = parsed(result).selectFirst("img");
		assertThat(image.hasAttr("src")).isFalse();
		assertThat(image.attr("alt")).isEqualTo("Logo");
		assertThat(image.attr("data-blocked")).isEqualTo("remote");
		assertThat(result.blockedRemoteContent()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://x/a.png", " HTTPS://x/a.png", "//x/a.png", "/\\x/a.png", "\\\\x\\a.png" })
	void blocksEveryWayOfNamingARemoteImage(String src) {
		Result result = sanitize("<img src=\"" + src + "\">");
		assertThat(parsed(result).selectFirst("img").hasAttr("src")).isFalse();
		assertThat(parsed(result).selectFirst("img").attr("data-blocked")).isEqualTo("remote");
		assertThat(result.blockedRemoteContent()).isTrue();
	}

	@Test
	void keepsRemoteImagesWhenShown() {
		Result result = MessageHtml.sanitize("<img src=\"https://example.com/logo.png\" alt=\"Logo\">", true, CID_URL);
		Element image = parsed(result).selectFirst("img");
		assertThat(image.attr("src")).isEqualTo("https://example.com/logo.png");
		assertThat(image.hasAttr("data-blocked")).isFalse();
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@Test
	void treatsBackgroundAttributesLikeRemoteImages() {
		String html = "<table background=\"http://x/bg.png\"><tr><td background=\"cid:bg\">x</td></tr></table>";
		Result blocked = sanitize(html);
		assertThat(parsed(blocked).selectFirst("table").hasAttr("background")).isFalse();
		assertThat(parsed(blocked).selectFirst("td").attr("background")).isEqualTo("/mail/parts/bg");
		assertThat(blocked.blockedRemoteContent()).isTrue();

		Result shown = MessageHtml.sanitize(html, true, CID_URL);
		assertThat(parsed(shown).selectFirst("table").attr("background")).isEqualTo("http://x/bg.png");
		assertThat(shown.blockedRemoteContent()).isFalse();
	}

	@Test
	void reportsNothingBlockedForAMessageWithoutRemoteContent() {
		Result result = sanitize("<table bgcolor=\"#eeeeee\"><tr><td style=\"color:red\">"
				+ "<img src=\"cid:logo\"><img src=\"data:image/png;base64,iVBORw0KGgo=\">"
				+ "<a href=\"https://example.com\">link</a></td></tr></table>");
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@Test
	void rewritesContentIdImagesThroughTheGivenUrls() {
		Document document = sanitized("<img src=\"cid:logo@example.com\"><img src=\"CID:<part2@example.com>\">");
		assertThat(document.select("img").eachAttr("src")).containsExactly("/mail/parts/logo@example.com",
				"/mail/parts/part2@example.com");
	}

	@Test
	void dropsContentIdImagesTheMessageDoesNotHave() {
		Result result = MessageHtml.sanitize("<img src=\"cid:missing\" alt=\"gone\">", false, (contentId) -> null);
		Element image = parsed(result).selectFirst("img");
		assertThat(image.hasAttr("src")).isFalse();
		assertThat(image.attr("alt")).isEqualTo("gone");
		assertThat(result.blockedRemoteContent()).isFalse();
	}

	@Test
	void keepsInlineDataImages() {
		String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
				+ "60e6kgAAAABJRU5ErkJggg==";
		Document document = sanitized("<img src=\"" + png + "\">");
		assertThat(document.selectFirst("img").attr("src")).isEqualTo(png);
	}

	@ParameterizedTest
	@ValueSource(strings = { "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
			"data:image/svg+xml,<svg onload=alert(1)>", "javascript:alert(1)", "file:///etc/passwd",
			"relative.png" })
	void dropsOtherImageSources(String src) {
		Element image = sanitized("<img src=\"" + src + "\" alt=\"a\">").selectFirst("img");
		assertThat(image.hasAttr("src")).isFalse();
		assertThat(image.hasAttr("data-blocked")).isFalse();
	}

	@Test
	void keepsEmailFormatting() {
		Document document = sanitized("<center><table width=\"600\" align=\"center\" bgcolor=\"#ffffff\" "
				+ "cellpadding=\"4\" cellspacing=\"0\" border=\"1\"><tr><td valign=\"top\" bgcolor=\"#eeeeee\">"
				+ "<font color=\"#ff0000\" face=\"Arial\" size=\"2\"><b>bold</b> <i>italic</i></font>"
				+ "<ul><li>one</li></ul><span style=\"color:red\">red</span><hr><br><div>d</div>"
				+ "</td></tr></table></center>");
		Element table = document.selectFirst("center > table");
		assertThat(table).isNotNull();
		assertThat(table.attributes().asList()).extracting(Attribute::getKey)
			.contains("width", "align", "bgcolor", "cellpadding", "cellspacing", "border");
		assertThat(table.attr("bgcolor")).isEqualTo("#ffffff");
		Element cell = document.selectFirst("td");
		assertThat(cell.attr("valign")).isEqualTo("top");
		assertThat(cell.attr("bgcolor")).isEqualTo("#eeeeee");
		Element font = document.selectFirst("font");
		assertThat(font.attr("color")).isEqualTo("#ff0000");
		assertThat(font.attr("face")).isEqualTo("Arial");
		assertThat(font.attr("size")).isEqualTo("2");
		assertThat(document.selectFirst("font > b").text()).isEqualTo("bold");
		assertThat(document.selectFirst("font > i").text()).isEqualTo("italic");
		assertThat(document.select("ul > li").text()).isEqualTo("one");
		assertThat(document.selectFirst("span").attr("style")).isEqualTo("color:red");
		assertThat(document.select("hr, br, div")).hasSize(3);
	}

	private static final List<String> HOSTILE_FRAGMENTS = List.of("<script>alert(1)</script>",
			"<SCRIPT SRC=http://x/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
			"<img src=x onerror=alert(1)>", "<img/src=x/onerror=alert(1)>", "<img src=\"javascript:alert(1)\">",
			"<a href=\"javascript:alert(1)\">x</a>", "<a href=\"JaVaScRiPt:alert(1)\">",
			"<a href=\"&#106;avascript:alert(1)\">", "<a href=\"java&#x09;script:alert(1)\">",
			"<a href=http://ok/ onclick=alert(1)>ok</a>", "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>",
			"<svg><p><style><img src=x onerror=alert(1)>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
			"<iframe src=\"javascript:alert(1)\"></iframe>", "<iframe srcdoc=\"<script>alert(1)</script>\">",
			"<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>go",
			"<input onfocus=alert(1) autofocus>", "<body onload=alert(1)>",
			"<div style=\"background:url(javascript:alert(1))\">",
			"<div style=\"width:expression(alert(1))\">", "<p style=\"background:u\\72l(javascript:alert(1))\">",
			"<style>@import 'javascript:alert(1)';</style>", "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
			"<base href=\"javascript:alert(1)//\">", "<link rel=stylesheet href=\"javascript:alert(1)\">",
			"<object data=\"javascript:alert(1)\">", "<embed src=\"javascript:alert(1)\">",
			"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
			"<table background=\"javascript:alert(1)\"><td background=http://x/a.png>",
			"<img src=cid:a srcset=\"javascript:alert(1) 2x\">", "<font color=red onmouseover=alert(1)>",
			"<textarea>", "</textarea>", "<title>", "<xmp>", "<!--", "-->", "<![CDATA[", "]]>", "</", "<", ">",
			"\"", "'", "=", "<p>text</p>", "<b>", "</b>", "<td>", "<table>", "\u0000", "&lt;script&gt;");

	/** The output without its text, which may name {@code javascript:} harmlessly, escaped. */
	private static String markup(Document document) {
		Document markup = document.clone();
		markup.getAllElements().forEach((element) -> element.textNodes().forEach(TextNode::remove));
		return markup.body().html().toLowerCase(Locale.ROOT);
	}

	// Text stays text: "</" before "<style>@import 'javascript:…'" makes the tag a bogus comment
	// and the rule visible, escaped text, so javascript: is looked for in the markup only.
	@Test
	void survivesRandomHostileMarkup() {
		Random random = new Random(28);
		for (int run = 0; run < 200; run++) {
			StringBuilder html = new StringBuilder();
			int fragments = 1 + random.nextInt(12);
			for (int i = 0; i < fragments; i++) {
				html.append(HOSTILE_FRAGMENTS.get(random.nextInt(HOSTILE_FRAGMENTS.size())));
			}
			Result result = MessageHtml.sanitize(html.toString(), random.nextBoolean(), CID_URL);
			Document document = parsed(result);
			assertThat(result.html().toLowerCase(Locale.ROOT)).as(html.toString()).doesNotContain("<script");
			assertThat(markup(document)).as(html.toString()).doesNotContain("javascript:");
			assertThat(eventHandlers(document)).as(html.toString()).isEmpty();
			assertThat(document.select("script, style, iframe, object, embed, form, input, svg, math, meta, base, link"))
				.as(html.toString())
				.isEmpty();
		}
	}

}
