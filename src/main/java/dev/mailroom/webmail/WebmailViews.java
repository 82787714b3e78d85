package dev.mailroom.webmail;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the webmail pages show: plain records read from IMAP, no jakarta.mail type leaks out. */
public final class WebmailViews {

	private WebmailViews() {
	}

	/**
	 * A mailbox in the switcher. {@code access} is owner, member or grant; {@code permission} reply
	 * or read_only; {@code unread} is the inbox's unread count, null when it could not be read.
	 */
	public record MailboxEntry(UUID mailboxId, String address, String access, String permission, Integer unread) {

		public boolean readOnly() {
			return "read_only".equals(permission);
		}
	}

	/** A folder: its IMAP name, the name to show, its special use (if any), its unread count. */
	public record FolderEntry(String name, String label, String specialUse, int unread) {
	}

	/** A folder's message count and the UID of its newest message (0 when it is empty). */
	public record FolderState(int total, long newestUid) {
	}

	/** One line of the message list. */
	public record MessageSummary(long uid, String from, String subject, Instant date, boolean unread, boolean flagged,
			boolean attachment) {
	}

	/** One page of a folder, newest first. */
	public record MessagePage(String folder, List<MessageSummary> messages, int page, int pages, int total) {

		public boolean hasNext() {
			return page < pages;
		}

		public boolean hasPrevious() {
			return page > 1;
		}
	}

	/** What to search for in a folder (IMAP SEARCH); blank fields are left out. */
	public record Search(String from, String to, String subject, String body, java.time.LocalDate since,
			java.time.LocalDate before) {

		public static final Search NONE = new Search(null, null, null, null, null, null);

		public boolean any() {
			return set(from) || set(to) || set(subject) || set(body) || since != null || before != null;
		}

		static boolean set(String value) {
			return value != null && !value.isBlank();
		}
	}

	/** An attachment (or inline part) of a message, addressed by its part path ("2", "1.3"). */
	public record Attachment(String path, String filename, String contentType, long size) {
	}

	/** A message opened for reading. Exactly one of {@code html} (sanitised) and {@code text} is set, or none. */
	public record MessageView(long uid, String folder, String from, List<String> to, List<String> cc, String subject,
			Instant date, boolean hasHtml, String text, List<Attachment> attachments, boolean remoteContentBlocked,
			boolean flagged) {
	}

	/** A part's bytes for download or an inline image. */
	public record PartContent(String filename, String contentType, byte[] bytes) {
	}

	/**
	 * A message being written: recipients as typed ("a@x, Name <b@y>"), subject, text, and HTML when
	 * written with formatting; the threading headers of a reply; the UID of the draft it was saved
	 * as; the message a reply answers (marked \Answered once sent) or a forward carries the
	 * attachments of.
	 */
	public record Draft(String to, String cc, String bcc, String subject, String text, String html, String inReplyTo,
			String references, Long draftUid, Original answering, Original forwarding) {

		public static final Draft EMPTY = new Draft("", "", "", "", "", null, null, null, null, null, null);

		/** What a written message's HTML may hold: simple formatting and links, nothing that loads or runs. */
		private static final org.jsoup.safety.Safelist WRITTEN_HTML = org.jsoup.safety.Safelist.basic()
			.addTags("h1", "h2", "h3", "s");

		public Draft {
			// whoever wrote it (a form, a draft someone else APPENDed to a shared Drafts), it is shown
			// in an editor and sent: only the safelist gets through
			html = html == null || html.isBlank() ? null : org.jsoup.Jsoup.clean(html, WRITTEN_HTML);
			to = to == null ? "" : to;
			cc = cc == null ? "" : cc;
			bcc = bcc == null ? "" : bcc;
			subject = subject == null ? "" : subject;
			text = text == null ? "" : text.replace("\r\n", "\n");
		}
	}

	/** A message in a folder of the open mailbox, by UID. */
	public record Original(String folder, long uid) {

		/** From the form's two fields; null unless both are there. */
		public static Original of(String folder, Long uid) {
			return folder == null || folder.isBlank() || uid == null ? null : new Original(folder, uid);
		}
	}

	/** A file attached to a message being written. */
	public record Upload(String filename, String contentType, byte[] bytes) {
	}
}
