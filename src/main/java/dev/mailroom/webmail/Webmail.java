package dev.mailroom.webmail;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.MailroomException;
import dev.mailroom.sharing.OpenableMailbox;
import dev.mailroom.sharing.SharingService;
import dev.mailroom.webmail.WebmailViews.FolderEntry;
import dev.mailroom.webmail.WebmailViews.FolderState;
import dev.mailroom.webmail.WebmailViews.MailboxEntry;
import dev.mailroom.webmail.WebmailViews.MessagePage;
import dev.mailroom.webmail.WebmailViews.MessageSummary;
import dev.mailroom.webmail.WebmailViews.MessageView;
import dev.mailroom.webmail.WebmailViews.PartContent;
import dev.mailroom.webmail.WebmailViews.Search;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.RecipientStringTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Reading mail: the mailboxes a person may open and their folders and messages, over IMAP as the
 * person (or "mailbox*person"), so Dovecot decides every permission. The list of mailboxes is the
 * one {@code GET /api/v1/me/mailboxes} gives, read again on every call: access taken away is gone
 * at the next request (404) even before Dovecot refuses the login. Nothing about a message (address,
 * subject, content) is logged.
 */
@Service
public class Webmail {

	private static final Logger log = LoggerFactory.getLogger(Webmail.class);

	public static final int PAGE_SIZE = 50;

	/** Inline (cid:) images shown in the frame; other types are downloads only. */
	private static final java.util.Set<String> INLINE_IMAGES = java.util.Set.of("image/png", "image/jpeg", "image/gif",
			"image/webp");

	private static final int MAX_INLINE_IMAGE = 5_000_000;

	/** The folders every mailbox shows after the inbox, in this order (Dovecot creates them on first use). */
	private static final List<String> SPECIAL_ORDER = List.of("\\Drafts", "\\Sent", "\\Archive", "\\Junk", "\\Trash");

	private final SharingService sharing;
	private final WebmailSettings settings;
	private final WebmailCredentials credentials;
	private final ImapConnections connections;

	Webmail(SharingService sharing, WebmailSettings settings, WebmailCredentials credentials,
			ImapConnections connections) {
		this.sharing = sharing;
		this.settings = settings;
		this.credentials = credentials;
		this.connections = connections;
	}

	/** How often an open Mail page asks for new mail (seconds). */
	public int pollSeconds() {
		return settings.pollSeconds();
	}

	/** Whether a mail plane is connected (an IMAP host configured). */
	public boolean connected() {
		return settings.connected();
	}

	/**
	 * What the person may open, without unread counts: their own mailbox first, then shared mailboxes
	 * they are a member of, then addresses shared with them.
	 */
	public List<MailboxEntry> mailboxes(WebmailUser user) {
		return openable(user).stream().map(m -> entry(m, null)).toList();
	}

	/** Whether the person may open any mailbox (the top bar's "Mail"). */
	public boolean opensAnything(WebmailUser user) {
		return !openable(user).isEmpty();
	}

	/**
	 * The same list with each inbox's unread count (null where it could not be read): fresh for the
	 * open mailbox; for the others as read in the last minute by this session, so that a person with
	 * more mailboxes than pooled connections does not log in to each of them on every page.
	 */
	public List<MailboxEntry> mailboxesWithUnread(WebmailUser user, UUID openMailboxId) {
		List<MailboxEntry> result = new ArrayList<>();
		java.time.Instant now = java.time.Instant.now();
		unreadCounts.values().removeIf(c -> c.at().isBefore(now.minus(UNREAD_CACHE)));
		for (OpenableMailbox m : openable(user)) {
			String key = user.session().getId() + "|" + m.mailboxId();
			UnreadCount cached = m.mailboxId().equals(openMailboxId) ? null : unreadCounts.get(key);
			Integer unread = cached == null ? null : cached.count();
			if (cached == null && connected()) {
				try {
					unread = store(user, m).getFolder("INBOX").getUnreadMessageCount();
					unreadCounts.put(key, new UnreadCount(unread, now));
				}
				catch (MessagingException | MailroomException e) {
					log.debug("No unread count for a mailbox: {}", e.getClass().getSimpleName());
				}
			}
			result.add(entry(m, unread));
		}
		return result;
	}

	private record UnreadCount(int count, java.time.Instant at) {
	}

	private static final java.time.Duration UNREAD_CACHE = java.time.Duration.ofMinutes(1);

	/** By web session and mailbox: the switcher's counts of the mailboxes not open. */
	private final java.util.Map<String, UnreadCount> unreadCounts = new java.util.concurrent.ConcurrentHashMap<>();

	/** The mailbox {@code mailboxId} if the person may open it, else 404. */
	public MailboxEntry mailbox(WebmailUser user, UUID mailboxId) {
		return entry(find(user, mailboxId), null);
	}

	private static MailboxEntry entry(OpenableMailbox m, Integer unread) {
		return new MailboxEntry(m.mailboxId(), m.address(), m.access(), m.permission(), unread);
	}

	/**
	 * The mailbox's folders: Inbox, the special-use ones, then the others by name; with unread
	 * counts, in one round trip where the server has LIST-STATUS (RFC 5819; Dovecot has).
	 */
	public List<FolderEntry> folders(WebmailUser user, UUID mailboxId) {
		OpenableMailbox m = find(user, mailboxId);
		return imap(user, m, store -> {
			Object listed = ((IMAPFolder) store.getFolder("INBOX")).doCommand(Webmail::listStatus);
			@SuppressWarnings("unchecked")
			List<FolderEntry> folders = listed != null ? new ArrayList<>((List<FolderEntry>) listed) : listOneByOne(store);
			folders.sort(Comparator.comparingInt((FolderEntry f) -> rank(f.specialUse())).thenComparing(FolderEntry::name));
			return folders;
		});
	}

	/** LIST "" "*" RETURN (SPECIAL-USE STATUS (UNSEEN)); null when the server lacks LIST-STATUS. */
	private static Object listStatus(org.eclipse.angus.mail.imap.protocol.IMAPProtocol protocol)
			throws org.eclipse.angus.mail.iap.ProtocolException {
		if (!protocol.hasCapability("LIST-STATUS")) {
			return null;
		}
		org.eclipse.angus.mail.iap.Response[] responses = protocol
			.command("LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (UNSEEN))", null);
		protocol.handleResult(responses[responses.length - 1]);
		java.util.Map<String, String[]> attributes = new java.util.LinkedHashMap<>();
		java.util.Map<String, Integer> unseen = new java.util.HashMap<>();
		for (org.eclipse.angus.mail.iap.Response response : responses) {
			if (response instanceof org.eclipse.angus.mail.imap.protocol.IMAPResponse r) {
				if (r.keyEquals("LIST")) {
					var info = new org.eclipse.angus.mail.imap.protocol.ListInfo(r);
					attributes.put(info.name, info.attrs);
				}
				else if (r.keyEquals("STATUS")) {
					var status = new org.eclipse.angus.mail.imap.protocol.Status(r);
					unseen.put(status.mbox, status.unseen);
				}
			}
		}
		List<FolderEntry> folders = new ArrayList<>();
		attributes.forEach((name, attrs) -> {
			FolderEntry folder = folder(name, Arrays.asList(attrs), unseen.getOrDefault(name, 0));
			if (folder != null) {
				folders.add(folder);
			}
		});
		return folders;
	}

	/** LIST, then STATUS for each folder: for servers without LIST-STATUS. */
	private static List<FolderEntry> listOneByOne(IMAPStore store) throws MessagingException {
		List<FolderEntry> folders = new ArrayList<>();
		for (Folder folder : store.getDefaultFolder().list("*")) {
			List<String> attributes = Arrays.asList(((IMAPFolder) folder).getAttributes());
			FolderEntry entry = folder(folder.getFullName(), attributes, 0);
			if (entry != null) {
				folders.add(new FolderEntry(entry.name(), entry.label(), entry.specialUse(),
						Math.max(0, folder.getUnreadMessageCount())));
			}
		}
		return folders;
	}

	/** A listed folder, or null for one that cannot be opened. */
	private static FolderEntry folder(String name, List<String> attributes, int unread) {
		if (attributes.stream().anyMatch(a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"))) {
			return null;
		}
		boolean inbox = name.equalsIgnoreCase("INBOX");
		String special = attributes.stream().filter(SPECIAL_ORDER::contains).findFirst().orElse(null);
		return new FolderEntry(name, inbox ? "Inbox" : name, inbox ? "\\Inbox" : special, Math.max(0, unread));
	}

	private static int rank(String specialUse) {
		if ("\\Inbox".equals(specialUse)) {
			return 0;
		}
		int index = specialUse == null ? -1 : SPECIAL_ORDER.indexOf(specialUse);
		return index < 0 ? SPECIAL_ORDER.size() + 1 : index + 1;
	}

	/**
	 * One page (1-based, {@value #PAGE_SIZE} a page) of a folder, newest first: the server's order
	 * (message numbers follow UIDs), or the messages IMAP SEARCH finds.
	 */
	public MessagePage messages(WebmailUser user, UUID mailboxId, String folderName, int page, Search search) {
		OpenableMailbox m = find(user, mailboxId);
		return imap(user, m, store -> {
			IMAPFolder folder = folder(store, folderName);
			folder.open(Folder.READ_ONLY);
			try {
				Message[] selected;
				int total;
				int current;
				if (search.any()) {
					Message[] found = folder.search(term(search));
					Arrays.sort(found, Comparator.comparingInt(Message::getMessageNumber).reversed());
					total = found.length;
					current = clamp(page, pages(total));
					int from = (current - 1) * PAGE_SIZE;
					selected = Arrays.copyOfRange(found, Math.min(from, found.length), Math.min(from + PAGE_SIZE, found.length));
				}
				else {
					total = folder.getMessageCount();
					current = clamp(page, pages(total));
					int newest = total - (current - 1) * PAGE_SIZE;
					int oldest = Math.max(1, newest - PAGE_SIZE + 1);
					selected = newest < 1 ? new Message[0] : folder.getMessages(oldest, newest);
					java.util.Collections.reverse(Arrays.asList(selected));
				}
				FetchProfile profile = new FetchProfile();
				profile.add(FetchProfile.Item.ENVELOPE);
				profile.add(FetchProfile.Item.FLAGS);
				profile.add(FetchProfile.Item.CONTENT_INFO);
				profile.add(UIDFolder.FetchProfileItem.UID);
				folder.fetch(selected, profile);
				List<MessageSummary> summaries = new ArrayList<>();
				for (Message message : selected) {
					summaries.add(summary(folder, (IMAPMessage) message));
				}
				return new MessagePage(folder.getFullName(), summaries, current, pages(total), total);
			}
			finally {
				folder.close(false);
			}
		});
	}

	/**
	 * How many messages a folder holds and the UID of its newest (0 when empty): what the Mail page
	 * polls for, so it fetches no envelope; 404 for a mailbox the person may not open.
	 */
	public FolderState folderState(WebmailUser user, UUID mailboxId, String folderName) {
		return imap(user, find(user, mailboxId), store -> {
			IMAPFolder folder = folder(store, folderName);
			folder.open(Folder.READ_ONLY);
			try {
				int total = folder.getMessageCount();
				return new FolderState(total, total == 0 ? 0 : folder.getUID(folder.getMessage(total)));
			}
			finally {
				folder.close(false);
			}
		});
	}

	/**
	 * A message for reading. Its body is fetched with BODY.PEEK; it is marked read only where the
	 * person may change flags (not read-only access: Dovecot would answer OK and change nothing).
	 */
	public MessageView message(WebmailUser user, UUID mailboxId, String folderName, long uid) {
		OpenableMailbox m = find(user, mailboxId);
		boolean writable = !"read_only".equals(m.permission());
		return withMessage(user, m, folderName, uid, writable, (folder, message, local) -> {
			remember(user, m, folderName, uid, local);
			MimeParts parts = MimeParts.of(local);
			if (writable && !message.isSet(Flags.Flag.SEEN)) {
				message.setFlag(Flags.Flag.SEEN, true);
			}
			Optional<String> html = parts.html();
			String text = html.isPresent() ? null : parts.text().orElse("");
			boolean remoteBlocked = html.isPresent() && MessageHtml.sanitize(html.get(), false, cid -> null).blockedRemoteContent();
			return new MessageView(uid, folder.getFullName(), addresses(local.getFrom()),
					Arrays.stream(nonNull(local.getRecipients(Message.RecipientType.TO))).map(Webmail::display).toList(),
					Arrays.stream(nonNull(local.getRecipients(Message.RecipientType.CC))).map(Webmail::display).toList(),
					subject(local.getSubject()), instant(local.getSentDate(), message.getReceivedDate()), html.isPresent(), text,
					parts.attachments(), remoteBlocked, message.isSet(Flags.Flag.FLAGGED));
		});
	}

	/**
	 * The message's HTML body, sanitised for its sandboxed frame: {@code cid:} images embedded;
	 * remote images and CSS {@code url()} stay blocked unless {@code showRemote}.
	 */
	public Optional<HtmlBody> html(WebmailUser user, UUID mailboxId, String folderName, long uid, boolean showRemote) {
		return withLocalCopy(user, find(user, mailboxId), folderName, uid, local -> {
			MimeParts parts = MimeParts.of(local);
			Optional<String> html = parts.html();
			if (html.isEmpty()) {
				return Optional.<HtmlBody>empty();
			}
			MessageHtml.Result result = MessageHtml.sanitize(html.get(), showRemote, cid -> inlineImage(parts, cid));
			return Optional.of(new HtmlBody(result.html(), result.blockedRemoteContent()));
		});
	}

	private interface LocalWork<T> {

		T run(MimeMessage local) throws MessagingException, IOException;
	}

	/** The message a web session opened last, whole, for the requests its page makes next (its frame). */
	private record Recent(String key, byte[] bytes, java.time.Instant at) {
	}

	private static final java.time.Duration RECENT = java.time.Duration.ofSeconds(30);
	private static final int MAX_RECENT_BYTES = 5 * 1024 * 1024;

	/** By web session; an entry lives {@link #RECENT} and only holds what its own session opened. */
	private final java.util.Map<String, Recent> recent = new java.util.concurrent.ConcurrentHashMap<>();

	private static String recentKey(OpenableMailbox m, String folderName, long uid) {
		return m.mailboxId() + "|" + folderName + "|" + uid;
	}

	private void remember(WebmailUser user, OpenableMailbox m, String folderName, long uid, MimeMessage local)
			throws MessagingException, IOException {
		java.time.Instant now = java.time.Instant.now();
		recent.values().removeIf(r -> r.at().isBefore(now.minus(RECENT)));
		if (local.getSize() > MAX_RECENT_BYTES) {
			recent.remove(user.session().getId());
			return;
		}
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		local.writeTo(bytes);
		if (bytes.size() <= MAX_RECENT_BYTES) {
			recent.put(user.session().getId(), new Recent(recentKey(m, folderName, uid), bytes.toByteArray(), now));
		}
	}

	/**
	 * Runs {@code work} on a local copy of message {@code uid}: the one this session's page just
	 * fetched (the frame asks right after the page), else fetched again. Who may open the mailbox was
	 * checked again by the caller either way.
	 */
	private <T> T withLocalCopy(WebmailUser user, OpenableMailbox m, String folderName, long uid, LocalWork<T> work) {
		Recent last = recent.get(user.session().getId());
		if (last != null && last.key().equals(recentKey(m, folderName, uid))
				&& last.at().isAfter(java.time.Instant.now().minus(RECENT))) {
			try {
				return work.run(new MimeMessage(null, new java.io.ByteArrayInputStream(last.bytes())));
			}
			catch (MessagingException | IOException e) {
				recent.remove(user.session().getId());
			}
		}
		return withMessage(user, m, folderName, uid, false, (folder, message, local) -> work.run(local));
	}

	private interface MessageWork<T> {

		T run(IMAPFolder folder, IMAPMessage message, MimeMessage local) throws MessagingException, IOException;
	}

	/**
	 * Runs {@code work} on message {@code uid} of a folder (opened read-write only to mark it read),
	 * with a local copy of the whole message fetched in one go; 404 when there is no such message.
	 */
	private <T> T withMessage(WebmailUser user, OpenableMailbox m, String folderName, long uid, boolean readWrite,
			MessageWork<T> work) {
		return imap(user, m, store -> {
			IMAPFolder folder = folder(store, folderName);
			folder.open(readWrite ? Folder.READ_WRITE : Folder.READ_ONLY);
			try {
				IMAPMessage message = (IMAPMessage) folder.getMessageByUID(uid);
				if (message == null) {
					throw MailroomException.notFound("Message");
				}
				return work.run(folder, message, new MimeMessage(message));
			}
			finally {
				folder.close(false);
			}
		});
	}

	/**
	 * A {@code cid:} image as a data: URL inside the frame (the sandboxed frame has an origin of its
	 * own: it could not load the image from the app with the person's session); other types, and
	 * images over 5 MB, are downloads only.
	 */
	private static String inlineImage(MimeParts parts, String contentId) {
		try {
			Optional<String> path = parts.pathOfContentId(contentId);
			if (path.isEmpty()) {
				return null;
			}
			PartContent part = parts.content(path.get()).orElse(null);
			if (part == null || !INLINE_IMAGES.contains(part.contentType()) || part.bytes().length > MAX_INLINE_IMAGE) {
				return null;
			}
			return "data:" + part.contentType() + ";base64," + java.util.Base64.getEncoder().encodeToString(part.bytes());
		}
		catch (MessagingException | IOException e) {
			return null;
		}
	}

	/** A sanitised HTML body, and whether remote content was held back. */
	public record HtmlBody(String html, boolean blockedRemoteContent) {
	}

	/** An attachment or inline part by its path; 404 when there is no such part. */
	public PartContent part(WebmailUser user, UUID mailboxId, String folderName, long uid, String path) {
		return withLocalCopy(user, find(user, mailboxId), folderName, uid, local -> MimeParts.of(local)
			.content(path)
			.orElseThrow(() -> MailroomException.notFound("Attachment")));
	}

	/** Closes the IMAP connections of a web session (sign-out). */
	public void signedOut(jakarta.servlet.http.HttpSession session) {
		WebmailCredentials.idIn(session).ifPresent(connections::closeAll);
		recent.remove(session.getId());
		unreadCounts.keySet().removeIf(key -> key.startsWith(session.getId() + "|"));
	}

	// ---- internals --------------------------------------------------------------------------

	private List<OpenableMailbox> openable(WebmailUser user) {
		return user.openable(() -> {
			List<OpenableMailbox> all = new ArrayList<>(sharing.openableBy(user.actor().userId()));
			// a login that was converted to a shared mailbox no longer signs in anywhere
			all.removeIf(m -> m.access().equals("owner") && !m.kind().equals("regular"));
			all.sort(Comparator.comparingInt((OpenableMailbox m) -> List.of("owner", "member", "grant").indexOf(m.access())));
			return all;
		});
	}

	/** The mailbox if the person may open it (read again for every request), else 404. */
	OpenableMailbox find(WebmailUser user, UUID mailboxId) {
		return openable(user).stream()
			.filter(m -> m.mailboxId().equals(mailboxId))
			.findFirst()
			.orElseThrow(() -> MailroomException.notFound("Mailbox"));
	}

	/** The IMAP login for an entry: the person's own address, or Dovecot's "mailbox*login" master form. */
	static String imapUser(WebmailUser user, OpenableMailbox m) {
		return switch (m.access()) {
			case "owner" -> m.address();
			case "member" -> m.address() + "*" + m.memberAddress();
			default -> m.address() + "*" + user.actor().email();
		};
	}

	private IMAPStore store(WebmailUser user, OpenableMailbox m) throws MessagingException {
		if (!connected()) {
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mailplane_not_connected",
					"No mail server is connected to Mailroom");
		}
		return connections.store(credential(user), imapUser(user, m), user.clientIp());
	}

	/** The web session's mail-plane credential (IMAP and submission). */
	WebmailCredentials.Credential credential(WebmailUser user) {
		return credentials.of(user.session(), user.actor().userId())
			.orElseThrow(() -> new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "webmail_not_ready",
					"Your session is still being set up: reload the page"));
	}

	interface ImapWork<T> {

		T run(IMAPStore store) throws MessagingException, IOException;
	}

	/** Runs {@code work} on the mailbox's store; a refused login or a lost server is a clear 503. */
	<T> T imap(WebmailUser user, OpenableMailbox m, ImapWork<T> work) {
		String imapUser = imapUser(user, m);
		try {
			IMAPStore store = store(user, m);
			try {
				return work.run(store);
			}
			catch (jakarta.mail.StoreClosedException | jakarta.mail.FolderClosedException e) {
				// Dovecot ended the session (a kick after access changed): one fresh login decides
				WebmailCredentials.idIn(user.session()).ifPresent(id -> connections.forget(id, imapUser));
				return work.run(store(user, m));
			}
		}
		catch (AuthenticationFailedException e) {
			WebmailCredentials.idIn(user.session()).ifPresent(id -> connections.forget(id, imapUser));
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mailbox_refused",
					"The mail server did not open this mailbox: reload the page, or sign in again");
		}
		catch (jakarta.mail.FolderNotFoundException e) {
			throw MailroomException.notFound("Folder");
		}
		catch (MessagingException | IOException e) {
			WebmailCredentials.idIn(user.session()).ifPresent(id -> connections.forget(id, imapUser));
			log.warn("The mail server could not be reached for webmail: {}", e.getClass().getSimpleName());
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "mail_server_unavailable",
					"The mail server cannot be reached right now: try again in a moment");
		}
	}

	/** The folder with special use {@code use} (RFC 6154, e.g. \Trash), else {@code fallback}, created if missing. */
	static IMAPFolder specialFolder(IMAPStore store, String use, String fallback) throws MessagingException {
		for (Folder folder : store.getDefaultFolder().list("*")) {
			if (Arrays.stream(((IMAPFolder) folder).getAttributes()).anyMatch(use::equalsIgnoreCase)) {
				return (IMAPFolder) folder;
			}
		}
		IMAPFolder folder = folder(store, fallback);
		if (!folder.exists()) {
			folder.create(Folder.HOLDS_MESSAGES);
		}
		return folder;
	}

	/**
	 * \Deleted, then UID EXPUNGE of exactly these messages of the open folder: others a client marked
	 * \Deleted stay.
	 */
	static void deletePermanently(IMAPFolder folder, Message[] messages) throws MessagingException {
		folder.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
		folder.expunge(messages);
	}

	/** 403 {@code mailbox_read_only}: how the pages say what Dovecot's ACL decided for read-only access. */
	public static MailroomException readOnly(String address) {
		return new MailroomException(HttpStatus.FORBIDDEN, "mailbox_read_only",
				"You have read-only access to " + address + ": you can read its mail but not change it or send from it");
	}

	/** A folder by name; opening one that does not exist fails with FolderNotFoundException (a 404). */
	static IMAPFolder folder(IMAPStore store, String name) throws MessagingException {
		return (IMAPFolder) store.getFolder(name == null || name.isBlank() ? "INBOX" : name);
	}

	private static SearchTerm term(Search search) {
		List<SearchTerm> terms = new ArrayList<>();
		if (Search.set(search.from())) {
			terms.add(new FromStringTerm(search.from().strip()));
		}
		if (Search.set(search.to())) {
			terms.add(new RecipientStringTerm(Message.RecipientType.TO, search.to().strip()));
		}
		if (Search.set(search.subject())) {
			terms.add(new SubjectTerm(search.subject().strip()));
		}
		if (Search.set(search.body())) {
			terms.add(new BodyTerm(search.body().strip()));
		}
		if (search.since() != null) {
			terms.add(new ReceivedDateTerm(ComparisonTerm.GE, Date.from(search.since().atStartOfDay(ZoneOffset.UTC).toInstant())));
		}
		if (search.before() != null) {
			terms.add(new ReceivedDateTerm(ComparisonTerm.LT,
					Date.from(search.before().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())));
		}
		return terms.size() == 1 ? terms.getFirst() : new AndTerm(terms.toArray(SearchTerm[]::new));
	}

	private static MessageSummary summary(IMAPFolder folder, IMAPMessage message) throws MessagingException {
		return new MessageSummary(folder.getUID(message), addresses(message.getFrom()), subject(message.getSubject()),
				instant(message.getSentDate(), message.getReceivedDate()), !message.isSet(Flags.Flag.SEEN),
				message.isSet(Flags.Flag.FLAGGED), hasAttachment(message));
	}

	/**
	 * Whether a part has an attachment, from the BODYSTRUCTURE already fetched: Angus builds the
	 * multipart tree from it without fetching any body.
	 */
	private static boolean hasAttachment(jakarta.mail.Part part) throws MessagingException {
		if (part.isMimeType("multipart/*")) {
			try {
				if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
					for (int i = 0; i < multipart.getCount(); i++) {
						if (hasAttachment(multipart.getBodyPart(i))) {
							return true;
						}
					}
				}
			}
			catch (IOException e) {
				return false;
			}
			return false;
		}
		return jakarta.mail.Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
	}

	private static int pages(int total) {
		return Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
	}

	private static int clamp(int page, int pages) {
		return Math.max(1, Math.min(page, pages));
	}

	private static Address[] nonNull(Address[] addresses) {
		return addresses == null ? new Address[0] : addresses;
	}

	private static String addresses(Address[] addresses) {
		return addresses == null || addresses.length == 0 ? ""
				: String.join(", ", Arrays.stream(addresses).map(Webmail::display).toList());
	}

	private static String display(Address address) {
		if (address instanceof InternetAddress internet) {
			String personal = internet.getPersonal();
			return personal == null || personal.isBlank() ? internet.getAddress()
					: personal + " <" + internet.getAddress() + ">";
		}
		return address.toString();
	}

	private static String subject(String subject) {
		return subject == null ? "" : subject;
	}

	private static Instant instant(Date sent, Date received) {
		Date date = sent != null ? sent : received;
		return date == null ? null : date.toInstant();
	}
}
