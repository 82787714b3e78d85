package dev.mailroom.webmail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.mailroom.identity.RateLimits;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.sharing.OpenableMailbox;
import dev.mailroom.webmail.WebmailViews.Draft;
import dev.mailroom.webmail.WebmailViews.Original;
import dev.mailroom.webmail.WebmailViews.Upload;
import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Writing mail: new messages, replies, replies to all and forwards from the open mailbox, sent
 * through Postfix's submission port signed in with the web session's credential as the login
 * {@code mailplane.sender_logins} names (the person's address, their member mailbox, or their
 * account's email for a grant). The From: is the open mailbox; Postfix's sender-login map and the
 * milter decide whether the person may send as it, exactly as for a desktop client, so a
 * read-only member's send is refused by the mail plane, not just hidden here. The sent copy goes
 * to the open mailbox's Sent; drafts are saved into its Drafts. Nothing of a message is logged.
 */
@Service
public class Composer {

	private static final Logger log = LoggerFactory.getLogger(Composer.class);

	/** Recipients a person may send to per hour, across every mailbox ({@code mailroom.rate-limits.webmail-send-recipients}). */
	public static final RateLimits.Limit SEND_RECIPIENTS = new RateLimits.Limit("webmail-send-recipients", 200,
			Duration.ofHours(1));

	/** Recipients of one message (To, Cc and Bcc together). */
	public static final int MAX_RECIPIENTS = 100;

	/** How long the submission server's SIZE (its message_size_limit) is kept before asking again. */
	private static final Duration SIZE_FRESH = Duration.ofMinutes(10);


	/** How a message is started. */
	public enum Mode {

		NEW, REPLY, REPLY_ALL, FORWARD, DRAFT;

		/** From the URL's {@code mode} (reply, reply-all, forward, draft); anything else is a new message. */
		public static Mode of(String value) {
			if (value == null) {
				return NEW;
			}
			return switch (value) {
				case "reply" -> REPLY;
				case "reply-all" -> REPLY_ALL;
				case "forward" -> FORWARD;
				case "draft" -> DRAFT;
				default -> NEW;
			};
		}
	}

	private final Webmail webmail;
	private final WebmailSettings settings;
	private final RateLimits rateLimits;
	private final Session submission;
	private volatile SizeLimit sizeLimit;

	private record SizeLimit(long bytes, Instant at) {
	}

	Composer(Webmail webmail, WebmailSettings settings, RateLimits rateLimits) {
		this.webmail = webmail;
		this.settings = settings;
		this.rateLimits = rateLimits;
		Properties props = new Properties();
		props.put("mail.smtp.connectiontimeout", "5000");
		props.put("mail.smtp.timeout", "60000");
		props.put("mail.smtp.writetimeout", "60000");
		props.put("mail.smtp.starttls.enable", "true");
		if (settings.imapStarttls()) {
			props.put("mail.smtp.starttls.required", "true");
		}
		this.submission = Session.getInstance(props);
	}

	/**
	 * The largest message the submission server takes (its EHLO SIZE, Postfix's
	 * {@code message_size_limit}), asked at most every ten minutes; 0 when it does not say.
	 */
	public long messageSizeLimit() {
		if (!webmail.connected()) {
			return 0;
		}
		SizeLimit known = sizeLimit;
		if (known != null && known.at().isAfter(Instant.now().minus(SIZE_FRESH))) {
			return known.bytes();
		}
		long bytes = 0;
		try (Transport transport = submission.getTransport("smtp")) {
			transport.connect(settings.smtpHost(), settings.smtpPort(), null, null);
			String size = ((SMTPTransport) transport).getExtensionParameter("SIZE");
			bytes = size == null || size.isBlank() ? 0 : Long.parseLong(size.strip());
		}
		catch (MessagingException | NumberFormatException e) {
			log.debug("The submission server's size limit could not be read: {}", e.getClass().getSimpleName());
			return known == null ? 0 : known.bytes();
		}
		sizeLimit = new SizeLimit(bytes, Instant.now());
		return bytes;
	}

	/**
	 * The form to start from: empty, a reply (to the sender, or to everyone but the open mailbox),
	 * a forward (the original's attachments go with it), or a saved draft.
	 */
	public Draft start(WebmailUser user, UUID mailboxId, Mode mode, String folderName, Long uid) {
		OpenableMailbox m = webmail.find(user, mailboxId);
		if (mode == Mode.NEW || uid == null) {
			return Draft.EMPTY;
		}
		return webmail.imap(user, m, store -> {
			IMAPFolder f = mode == Mode.DRAFT ? drafts(store) : Webmail.folder(store, folderName);
			f.open(Folder.READ_ONLY);
			try {
				IMAPMessage original = (IMAPMessage) f.getMessageByUID(uid);
				if (original == null) {
					throw MailroomException.notFound("Message");
				}
				MimeMessage local = new MimeMessage(original);
				return switch (mode) {
					case DRAFT -> Replies.restore(local, uid);
					case FORWARD -> Replies.forward(local, f.getFullName(), uid);
					default -> Replies.reply(local, new Original(f.getFullName(), uid), m.address(), mode == Mode.REPLY_ALL);
				};
			}
			finally {
				f.close(false);
			}
		});
	}

	/** What a sent message left behind. */
	public record Sent(int recipients, boolean copySaved) {
	}

	/**
	 * Sends the draft from the open mailbox: recipients checked (400 {@code invalid_address}, 422
	 * {@code recipients_required} or {@code too_many_recipients}), the person's hourly allowance
	 * taken (429 {@code send_rate_limited}), then submission decides; a copy is saved to Sent and
	 * the draft it was written in is removed. The mail plane's refusals are clear errors and nothing
	 * is sent in part (a refused recipient stops the whole message).
	 */
	public Sent send(WebmailUser user, UUID mailboxId, Draft draft, List<Upload> uploads) {
		OpenableMailbox m = webmail.find(user, mailboxId);
		requireConnected();
		Recipients recipients = Recipients.of(draft);
		if (recipients.count() == 0) {
			throw MailroomException.invalid("to", "recipients_required", "Add at least one recipient");
		}
		if (recipients.count() > MAX_RECIPIENTS) {
			throw MailroomException.invalid("to", "too_many_recipients",
					"A message may have at most " + MAX_RECIPIENTS + " recipients");
		}
		List<Upload> attachments = new ArrayList<>(uploads);
		if (draft.forwarding() != null) {
			attachments.addAll(forwardedAttachments(user, m, draft.forwarding()));
		}
		long limit = messageSizeLimit();
		long size = attachments.stream().mapToLong(a -> a.bytes().length).sum() * 4 / 3 + draft.text().length() * 2L;
		if (limit > 0 && size > limit) {
			throw new MailroomException(HttpStatus.CONTENT_TOO_LARGE, "message_too_large",
					"This message is too large to send: the mail server takes up to " + megabytes(limit) + " MB");
		}
		long wait = rateLimits.tryConsume(SEND_RECIPIENTS, user.actor().userId().toString(), recipients.count());
		if (wait > 0) {
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "send_rate_limited",
					"You have reached your sending limit for this hour: you can send again in " + minutes(wait),
					List.of(), Map.of("retry_after_seconds", wait));
		}
		MimeMessage message = build(m, draft, recipients, attachments);
		submit(user, m, message);
		boolean saved = afterSending(user, m, message, draft);
		return new Sent(recipients.count(), saved);
	}

	/**
	 * Saves the draft into the open mailbox's Drafts (replacing the one it was written in) and
	 * returns its new UID. Dovecot refuses a read-only member (403 {@code mailbox_read_only}).
	 */
	public long saveDraft(WebmailUser user, UUID mailboxId, Draft draft, List<Upload> uploads) {
		OpenableMailbox m = webmail.find(user, mailboxId);
		// a draft keeps its recipients as typed, half-written addresses included
		MimeMessage message = build(m, draft, null, uploads);
		return webmail.imap(user, m, store -> {
			IMAPFolder folder = drafts(store);
			message.setFlags(new Flags(Flags.Flag.DRAFT), true);
			message.setFlag(Flags.Flag.SEEN, true);
			AppendUID[] appended;
			try {
				appended = folder.appendUIDMessages(new Message[] { message });
			}
			catch (MessagingException e) {
				throw refusedChange(m.address(), e);
			}
			if (draft.draftUid() != null) {
				remove(folder, draft.draftUid());
			}
			if (appended == null || appended.length == 0 || appended[0] == null) {
				throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mail_server_unavailable",
						"The mail server saved the draft but did not say where: reload the page");
			}
			return appended[0].uid;
		});
	}

	// ---- building -------------------------------------------------------------------------

	private MimeMessage build(OpenableMailbox m, Draft draft, Recipients recipients, List<Upload> attachments) {
		try {
			String domain = m.address().substring(m.address().indexOf('@') + 1);
			String messageId = "<" + UUID.randomUUID() + "@" + domain + ">";
			MimeMessage message = new MimeMessage(submission) {

				@Override
				protected void updateMessageID() throws MessagingException {
					setHeader("Message-ID", messageId);
				}
			};
			message.setFrom(new InternetAddress(m.address()));
			if (recipients != null) {
				message.setRecipients(Message.RecipientType.TO, recipients.to());
				message.setRecipients(Message.RecipientType.CC, recipients.cc());
				message.setRecipients(Message.RecipientType.BCC, recipients.bcc());
			}
			else {
				typed(message, "To", draft.to());
				typed(message, "Cc", draft.cc());
				typed(message, "Bcc", draft.bcc());
			}
			message.setSubject(draft.subject(), "UTF-8");
			message.setSentDate(new java.util.Date());
			if (draft.inReplyTo() != null && !draft.inReplyTo().isBlank()) {
				message.setHeader("In-Reply-To", oneLine(draft.inReplyTo()));
			}
			if (draft.references() != null && !draft.references().isBlank()) {
				message.setHeader("References", MimeUtility.fold(12, oneLine(draft.references())));
			}
			MimeBodyPart body = body(draft);
			if (attachments.isEmpty()) {
				if (body.getContent() instanceof MimeMultipart alternative) {
					message.setContent(alternative);
				}
				else {
					message.setText(draft.text(), "UTF-8");
				}
			}
			else {
				MimeMultipart mixed = new MimeMultipart("mixed");
				mixed.addBodyPart(body);
				for (Upload upload : attachments) {
					MimeBodyPart part = new MimeBodyPart();
					part.setDataHandler(new DataHandler(new ByteArrayDataSource(upload.bytes(), upload.contentType())));
					part.setFileName(MimeUtility.encodeText(upload.filename(), "UTF-8", null));
					part.setDisposition(MimeBodyPart.ATTACHMENT);
					mixed.addBodyPart(part);
				}
				message.setContent(mixed);
			}
			message.saveChanges();
			return message;
		}
		catch (MessagingException | IOException e) {
			throw MailroomException.invalid("text", "invalid_message", "This message could not be put together");
		}
	}

	/** A draft's recipient header exactly as typed (encoded where it is not ASCII). */
	private static void typed(MimeMessage message, String header, String value) throws MessagingException, IOException {
		if (!value.isBlank()) {
			message.setHeader(header, MimeUtility.fold(header.length() + 2, MimeUtility.encodeText(oneLine(value), "UTF-8", null)));
		}
	}

	/** The text, or text + sanitised HTML (multipart/alternative) when it was written with formatting. */
	private static MimeBodyPart body(Draft draft) throws MessagingException {
		MimeBodyPart text = new MimeBodyPart();
		text.setText(draft.text(), "UTF-8");
		if (draft.html() == null || draft.html().isBlank()) {
			return text;
		}
		MimeBodyPart html = new MimeBodyPart();
		html.setContent("<!DOCTYPE html><html><body>" + draft.html() + "</body></html>",
				"text/html; charset=UTF-8");
		MimeMultipart alternative = new MimeMultipart("alternative");
		alternative.addBodyPart(text);
		alternative.addBodyPart(html);
		MimeBodyPart wrapper = new MimeBodyPart();
		wrapper.setContent(alternative);
		return wrapper;
	}

	private List<Upload> forwardedAttachments(WebmailUser user, OpenableMailbox m, Original forwarding) {
		return webmail.imap(user, m, store -> {
			IMAPFolder f = Webmail.folder(store, forwarding.folder());
			f.open(Folder.READ_ONLY);
			try {
				IMAPMessage original = (IMAPMessage) f.getMessageByUID(forwarding.uid());
				if (original == null) {
					throw MailroomException.notFound("Forwarded message");
				}
				MimeParts parts = MimeParts.of(new MimeMessage(original));
				List<Upload> uploads = new ArrayList<>();
				for (WebmailViews.Attachment a : parts.attachments()) {
					parts.content(a.path())
						.ifPresent(c -> uploads.add(new Upload(c.filename(), c.contentType(), c.bytes())));
				}
				return uploads;
			}
			finally {
				f.close(false);
			}
		});
	}

	// ---- the mail plane -------------------------------------------------------------------

	/** The login submission knows the person by, as {@code mailplane.sender_logins} names it. */
	static String submissionLogin(WebmailUser user, OpenableMailbox m) {
		return switch (m.access()) {
			case "owner" -> m.address();
			case "member" -> m.memberAddress();
			default -> user.actor().email();
		};
	}

	private void requireConnected() {
		if (!webmail.connected()) {
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mailplane_not_connected",
					"No mail server is connected to Mailroom");
		}
	}

	private void submit(WebmailUser user, OpenableMailbox m, MimeMessage message) {
		String password = webmail.credential(user).password();
		Properties props = new Properties();
		props.putAll(submission.getProperties());
		props.put("mail.smtp.auth", "true");
		props.put("mail.smtp.from", m.address());
		Session session = Session.getInstance(props);
		try (Transport transport = session.getTransport("smtp")) {
			transport.connect(settings.smtpHost(), settings.smtpPort(), submissionLogin(user, m), password);
			transport.sendMessage(message, message.getAllRecipients());
		}
		catch (AuthenticationFailedException e) {
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mailbox_refused",
					"The mail server did not accept your session for sending: reload the page, or sign in again");
		}
		catch (SendFailedException e) {
			throw refusedSend(m, e);
		}
		catch (MessagingException e) {
			log.warn("The submission server could not be reached for webmail: {}", e.getClass().getSimpleName());
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mail_server_unavailable",
					"The mail server cannot be reached right now: your message was not sent, try again in a moment");
		}
	}

	/** What the mail plane said, in words: send-as refused (403), a recipient refused (422), too large (413). */
	private static MailroomException refusedSend(OpenableMailbox m, SendFailedException e) {
		for (Exception next = e; next != null; next = next instanceof MessagingException me ? me.getNextException() : null) {
			// Postfix judges the sender at RCPT time (smtpd_delay_reject): "Sender address rejected"
			if (next instanceof SMTPSenderFailedException || next instanceof SMTPAddressFailedException a
					&& String.valueOf(a.getMessage()).contains("Sender address rejected")) {
				int code = next instanceof SMTPSenderFailedException sf ? sf.getReturnCode()
						: ((SMTPAddressFailedException) next).getReturnCode();
				return new MailroomException(HttpStatus.FORBIDDEN, "send_refused", "The mail server did not let you send as "
						+ m.address() + (m.permission().equals("read_only") ? ": you have read-only access" : "")
						+ " (" + reply(code, next.getMessage()) + ")");
			}
			if (next instanceof SMTPAddressFailedException address) {
				return new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "recipient_refused", "The mail server refused "
						+ address.getAddress().getAddress() + ", so nothing was sent (" + reply(address.getReturnCode(),
								address.getMessage()) + ")");
			}
			if (next instanceof SMTPSendFailedException failed) {
				if (failed.getReturnCode() == 552) {
					return new MailroomException(HttpStatus.CONTENT_TOO_LARGE, "message_too_large",
							"The mail server refused this message as too large");
				}
				return new MailroomException(failed.getReturnCode() >= 500 ? HttpStatus.FORBIDDEN : HttpStatus.SERVICE_UNAVAILABLE,
						"send_refused", "The mail server refused this message (" + reply(failed.getReturnCode(),
								failed.getMessage()) + ")");
			}
		}
		return new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "send_refused",
				"The mail server refused this message, so nothing was sent");
	}

	/** The server's reply in one line, without the address echo that repeats what the person typed. */
	private static String reply(int code, String message) {
		String text = message == null ? "" : oneLine(message).strip();
		return text.startsWith(Integer.toString(code)) ? shorten(text) : code + " " + shorten(text);
	}

	/** A refused APPEND (a read-only member: NO [NOPERM]) as the clear error, any other failure as is. */
	private static RuntimeException refusedChange(String address, MessagingException e) throws MessagingException {
		if (String.valueOf(e.getMessage()).contains("NOPERM")) {
			return Webmail.readOnly(address);
		}
		throw e;
	}

	/**
	 * The copy in Sent, the original answered, the draft gone; a failure here loses nothing sent (the
	 * person is told).
	 */
	private boolean afterSending(WebmailUser user, OpenableMailbox m, MimeMessage message, Draft draft) {
		try {
			return webmail.imap(user, m, store -> {
				message.setFlag(Flags.Flag.SEEN, true);
				Webmail.specialFolder(store, "\\Sent", "Sent").appendMessages(new Message[] { message });
				if (draft.answering() != null) {
					answered(Webmail.folder(store, draft.answering().folder()), draft.answering().uid());
				}
				if (draft.draftUid() != null) {
					remove(drafts(store), draft.draftUid());
				}
				return true;
			});
		}
		catch (MailroomException e) {
			log.warn("A sent message's copy could not be saved in Sent: {}", e.code());
			return false;
		}
	}

	private static void answered(IMAPFolder folder, long uid) throws MessagingException {
		folder.open(Folder.READ_WRITE);
		try {
			Message original = folder.getMessageByUID(uid);
			if (original != null) {
				original.setFlag(Flags.Flag.ANSWERED, true);
			}
		}
		finally {
			folder.close(false);
		}
	}

	/** Removes one message by UID (UID EXPUNGE: no other message marked deleted goes with it). */
	private static void remove(IMAPFolder folder, long uid) throws MessagingException {
		folder.open(Folder.READ_WRITE);
		try {
			Message old = folder.getMessageByUID(uid);
			if (old != null) {
				Webmail.deletePermanently(folder, new Message[] { old });
			}
		}
		finally {
			folder.close(false);
		}
	}

	private static IMAPFolder drafts(IMAPStore store) throws MessagingException {
		return Webmail.specialFolder(store, "\\Drafts", "Drafts");
	}

	static String oneLine(String value) {
		return value.replaceAll("[\\r\\n]+", " ");
	}

	static String nonNull(String value) {
		return value == null ? "" : value;
	}

	static String shorten(String value) {
		return value.length() > 200 ? value.substring(0, 200) + "…" : value;
	}

	static long megabytes(long bytes) {
		return bytes / (1024 * 1024);
	}

	private static String minutes(long seconds) {
		long minutes = Math.max(1, (seconds + 59) / 60);
		return minutes == 1 ? "1 minute" : minutes + " minutes";
	}
}
