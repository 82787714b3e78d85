package dev.mailroom.webmail;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mailroom.webmail.WebmailViews.Draft;
import dev.mailroom.webmail.WebmailViews.Original;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * The draft a message starts: a reply (quoted, threaded with In-Reply-To and References), a reply
 * to all (everyone but the open mailbox), a forward (its attachments go along when it is sent), or
 * a saved draft read back as it was typed.
 */
final class Replies {

	private static final DateTimeFormatter QUOTED_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private Replies() {
	}

	static Draft restore(MimeMessage draft, long uid) throws MessagingException, IOException {
		MimeParts parts = MimeParts.of(draft);
		return new Draft(typed(draft, "To"), typed(draft, "Cc"), typed(draft, "Bcc"), Composer.nonNull(draft.getSubject()), parts.text().orElse(""),
				parts.html().orElse(null), draft.getHeader("In-Reply-To", null), draft.getHeader("References", null), uid, null,
				null);
	}

	static Draft reply(MimeMessage original, Original answering, String openAddress, boolean all)
			throws MessagingException, IOException {
		Map<String, InternetAddress> to = new LinkedHashMap<>();
		add(to, original.getReplyTo(), openAddress);
		Map<String, InternetAddress> cc = new LinkedHashMap<>();
		if (all) {
			add(cc, original.getRecipients(Message.RecipientType.TO), openAddress);
			add(cc, original.getRecipients(Message.RecipientType.CC), openAddress);
			to.keySet().forEach(cc::remove);
			if (to.isEmpty() && !cc.isEmpty()) {
				// replying to all of one's own message: the others become the recipients
				to.putAll(cc);
				cc.clear();
			}
		}
		String subject = Composer.nonNull(original.getSubject());
		if (!subject.regionMatches(true, 0, "Re:", 0, 3)) {
			subject = "Re: " + subject;
		}
		String messageId = original.getMessageID();
		String references = original.getHeader("References", " ");
		references = messageId == null ? references : (references == null ? messageId : references + " " + messageId);
		String text = "\n\nOn " + date(original) + ", " + from(original) + " wrote:\n" + quote(bodyText(original));
		return new Draft(join(to.values()), join(cc.values()), "", subject, text, null, messageId, trimReferences(references),
				null, answering, null);
	}

	static Draft forward(MimeMessage original, String folder, long uid) throws MessagingException, IOException {
		String subject = Composer.nonNull(original.getSubject());
		if (!subject.regionMatches(true, 0, "Fwd:", 0, 4)) {
			subject = "Fwd: " + subject;
		}
		String text = "\n\n---------- Forwarded message ----------\nFrom: " + from(original) + "\nDate: " + date(original)
				+ "\nSubject: " + Composer.nonNull(original.getSubject()) + "\nTo: " + list(original.getRecipients(Message.RecipientType.TO))
				+ "\n\n" + bodyText(original);
		return new Draft("", "", "", subject, text, null, null, null, null, null, new Original(folder, uid));
	}

	private static String typed(MimeMessage message, String header) throws MessagingException, IOException {
		String value = message.getHeader(header, ", ");
		return value == null ? "" : MimeUtility.decodeText(MimeUtility.unfold(value));
	}

	private static String bodyText(MimeMessage message) throws MessagingException, IOException {
		MimeParts parts = MimeParts.of(message);
		if (parts.text().isPresent()) {
			return parts.text().get();
		}
		return parts.html().map(Replies::htmlToText).orElse("");
	}

	/** A readable text of an HTML body: line breaks where blocks and breaks were (jsoup writes {@code <br>} as one). */
	static String htmlToText(String html) {
		Document document = Jsoup.parse(html);
		document.select("script, style, head").remove();
		document.select("p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre").after("\n");
		return document.body().wholeText().replaceAll("[ \\t\\x0B\\f\\r]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
	}

	static String quote(String text) {
		StringBuilder quoted = new StringBuilder();
		for (String line : text.strip().split("\r?\n", -1)) {
			quoted.append(line.startsWith(">") ? ">" : "> ").append(line).append('\n');
		}
		return quoted.toString();
	}

	private static String date(MimeMessage message) throws MessagingException {
		java.util.Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
		return date == null ? "an unknown date" : QUOTED_DATE.format(date.toInstant());
	}

	private static String from(MimeMessage message) throws MessagingException {
		return list(message.getFrom());
	}

	private static void add(Map<String, InternetAddress> into, Address[] addresses, String except) {
		if (addresses == null) {
			return;
		}
		for (Address address : addresses) {
			if (address instanceof InternetAddress internet && internet.getAddress() != null) {
				String key = internet.getAddress().toLowerCase(Locale.ROOT);
				if (!key.equalsIgnoreCase(except)) {
					into.putIfAbsent(key, internet);
				}
			}
		}
	}

	private static String list(Address[] addresses) {
		return addresses == null ? "" : join(Arrays.asList(addresses));
	}

	private static String join(java.util.Collection<? extends Address> addresses) {
		return String.join(", ", addresses.stream().map(a -> a instanceof InternetAddress i ? i.toUnicodeString() : a.toString()).toList());
	}

	/** References grow with every reply; like most clients, keep the first and the last few (RFC 5322 §3.6.4). */
	private static String trimReferences(String references) {
		if (references == null) {
			return null;
		}
		String[] ids = Composer.oneLine(references).strip().split("\\s+");
		if (ids.length <= 10) {
			return String.join(" ", ids);
		}
		List<String> kept = new ArrayList<>();
		kept.add(ids[0]);
		kept.addAll(Arrays.asList(ids).subList(ids.length - 9, ids.length));
		return String.join(" ", kept);
	}

}
