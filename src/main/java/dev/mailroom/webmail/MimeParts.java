package dev.mailroom.webmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.mailroom.webmail.WebmailViews.Attachment;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;

/**
 * The structure of a message read from IMAP: the first HTML and the first plain-text body part,
 * attachments, and inline parts by Content-ID, each addressed by its part path ("1", "2.1").
 * Parsed from a local copy, so nothing here goes back to the server.
 */
final class MimeParts {

	/** Larger parts are not shown inline (they still download as attachments). */
	private static final int MAX_BODY_CHARS = 2_000_000;

	private Part html;
	private Part text;
	private final List<Attachment> attachments = new ArrayList<>();
	private final Map<String, String> contentIds = new LinkedHashMap<>();
	private final Map<String, Part> byPath = new LinkedHashMap<>();

	static MimeParts of(Part message) throws MessagingException, IOException {
		MimeParts parts = new MimeParts();
		parts.walk(message, "");
		return parts;
	}

	private void walk(Part part, String path) throws MessagingException, IOException {
		if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				walk(child, path.isEmpty() ? Integer.toString(i + 1) : path + "." + (i + 1));
			}
			return;
		}
		if (part.isMimeType("message/rfc822")) {
			// a forwarded message is offered as a file, not shown inside this one
			addAttachment(part, path.isEmpty() ? "1" : path);
			return;
		}
		String key = path.isEmpty() ? "1" : path;
		byPath.put(key, part);
		boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
		if (part instanceof MimePart mime && mime.getContentID() != null) {
			contentIds.put(stripAngles(mime.getContentID()), key);
		}
		if (!attachment && html == null && part.isMimeType("text/html")) {
			html = part;
		}
		else if (!attachment && text == null && part.isMimeType("text/plain")) {
			text = part;
		}
		else if (attachment || !part.isMimeType("text/*")) {
			addAttachment(part, key);
		}
	}

	private void addAttachment(Part part, String path) throws MessagingException {
		byPath.put(path, part);
		String name = filename(part);
		String type = baseType(part.getContentType());
		attachments.add(new Attachment(path, name, type, Math.max(0, part.getSize())));
	}

	Optional<String> html() throws MessagingException, IOException {
		return html == null ? Optional.empty() : Optional.of(textOf(html));
	}

	Optional<String> text() throws MessagingException, IOException {
		return text == null ? Optional.empty() : Optional.of(textOf(text));
	}

	List<Attachment> attachments() {
		return List.copyOf(attachments);
	}

	/** The part path of the inline part with this Content-ID, if any. */
	Optional<String> pathOfContentId(String contentId) {
		return Optional.ofNullable(contentIds.get(stripAngles(contentId)));
	}

	Optional<WebmailViews.PartContent> content(String path) throws MessagingException, IOException {
		Part part = byPath.get(path);
		if (part == null || part == html || part == text) {
			return Optional.empty();
		}
		try (InputStream in = part.getInputStream()) {
			return Optional.of(new WebmailViews.PartContent(filename(part), baseType(part.getContentType()),
					in.readAllBytes()));
		}
	}

	private static String textOf(Part part) throws MessagingException, IOException {
		Object content;
		try {
			content = part.getContent();
		}
		catch (java.io.UnsupportedEncodingException e) {
			// an unknown charset: read the bytes as UTF-8 rather than show nothing
			try (InputStream in = part.getInputStream()) {
				content = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			}
		}
		String value = content instanceof String s ? s : content instanceof InputStream in ? read(in) : "";
		return value.length() > MAX_BODY_CHARS ? value.substring(0, MAX_BODY_CHARS) : value;
	}

	private static String read(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		in.transferTo(out);
		return out.toString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static String filename(Part part) throws MessagingException {
		String name = part.getFileName();
		if (name != null) {
			try {
				name = MimeUtility.decodeText(name);
			}
			catch (java.io.UnsupportedEncodingException e) {
				// keep the raw name
			}
		}
		if (name == null || name.isBlank()) {
			return part.isMimeType("message/rfc822") ? "message.eml" : "attachment";
		}
		// only the last path segment: a name like "../x" must not name a directory
		return name.replaceAll(".*[/\\\\]", "").replaceAll("[\\p{Cntrl}\"]", "_");
	}

	private static String baseType(String contentType) {
		try {
			return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
		}
		catch (Exception e) {
			return "application/octet-stream";
		}
	}

	private static String stripAngles(String contentId) {
		String id = contentId.strip();
		if (id.startsWith("<") && id.endsWith(">")) {
			id = id.substring(1, id.length() - 1);
		}
		return id;
	}
}
