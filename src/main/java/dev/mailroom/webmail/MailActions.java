package dev.mailroom.webmail;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.platform.MailroomException;
import dev.mailroom.sharing.OpenableMailbox;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.ReadOnlyFolderException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Changing mail: flags, moving, deleting, emptying Trash and managing folders, over IMAP as the
 * person through {@link Webmail}'s checks and connections, so Dovecot's ACLs decide: a read-only
 * member's SELECT answers [READ-ONLY] and CREATE, RENAME and DELETE answer NO [NOPERM], both a 403
 * {@code mailbox_read_only}. Nothing is half-applied: every message and the target folder are found
 * before anything changes.
 */
@Service
public class MailActions {

	/** What can be done to selected messages. */
	public enum Action {

		READ, UNREAD, FLAG, UNFLAG, MOVE, DELETE

	}

	/**
	 * What an action did: how many messages, and where they went ({@code movedTo}: the target or Trash,
	 * null for flags and permanent deletion).
	 */
	public record Applied(Action action, int count, String movedTo, boolean permanently) {
	}

	/**
	 * A permanent deletion (emptying Trash, deleting a folder): the folder and how many messages it
	 * removes; {@code done} false means nothing changed yet because the person must confirm first.
	 */
	public record Deletion(String folder, int messages, boolean done) {
	}

	/** More than a page or two is a forged request, not a selection. */
	private static final int MAX_SELECTED = 500;

	private static final int MAX_FOLDER_NAME = 100;

	/** Folders the mail plane creates and clients rely on: never renamed or deleted here. */
	private static final Set<String> SPECIAL_USE = Set.of("\\Drafts", "\\Sent", "\\Archive", "\\Junk", "\\Trash",
			"\\All", "\\Flagged");

	private final Webmail webmail;

	MailActions(Webmail webmail) {
		this.webmail = webmail;
	}

	/**
	 * Applies {@code action} to messages {@code uids} of {@code folder}: all of them, or (404 when
	 * one is missing, 403 for read-only access) none. MOVE needs {@code target}, an existing other
	 * folder; DELETE moves to Trash, or deletes permanently what is already in Trash.
	 */
	public Applied apply(WebmailUser user, UUID mailboxId, String folder, List<Long> uids, Action action, String target) {
		if (action == null) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "invalid_action", "Choose what to do with the messages");
		}
		long[] selected = selection(uids);
		OpenableMailbox m = webmail.find(user, mailboxId);
		return webmail.imap(user, m, store -> {
			IMAPFolder source = Webmail.folder(store, folder);
			IMAPFolder destination = switch (action) {
				case MOVE -> target(store, source, target);
				case DELETE -> Webmail.specialFolder(store, "\\Trash", "Trash");
				default -> null;
			};
			boolean permanently = action == Action.DELETE && destination.getFullName().equals(source.getFullName());
			openForChange(source, m);
			try {
				Message[] messages = source.getMessagesByUID(selected);
				if (Arrays.stream(messages).anyMatch(java.util.Objects::isNull)) {
					throw MailroomException.notFound("Message");
				}
				switch (action) {
					case READ -> source.setFlags(messages, new Flags(Flags.Flag.SEEN), true);
					case UNREAD -> source.setFlags(messages, new Flags(Flags.Flag.SEEN), false);
					case FLAG -> source.setFlags(messages, new Flags(Flags.Flag.FLAGGED), true);
					case UNFLAG -> source.setFlags(messages, new Flags(Flags.Flag.FLAGGED), false);
					case MOVE, DELETE -> {
						if (permanently) {
							Webmail.deletePermanently(source, messages);
						}
						else {
							// IMAP MOVE (RFC 6851): one step, nothing left behind marked \Deleted
							source.moveMessages(messages, destination);
						}
					}
				}
				return new Applied(action, messages.length, destination == null || permanently ? null : label(destination),
						permanently);
			}
			finally {
				closeQuietly(source);
			}
		});
	}

	/**
	 * How many messages emptying Trash deletes, asked as for the deletion itself (a read-only member
	 * is refused here); with {@code confirmed}, deletes them all. Nothing is asked for an empty Trash.
	 */
	public Deletion emptyTrash(WebmailUser user, UUID mailboxId, boolean confirmed) {
		OpenableMailbox m = webmail.find(user, mailboxId);
		return webmail.imap(user, m, store -> {
			IMAPFolder trash = Webmail.specialFolder(store, "\\Trash", "Trash");
			openForChange(trash, m);
			try {
				int count = trash.getMessageCount();
				if (count > 0 && confirmed) {
					Webmail.deletePermanently(trash, trash.getMessages());
				}
				return new Deletion(label(trash), count, confirmed || count == 0);
			}
			finally {
				closeQuietly(trash);
			}
		});
	}

	/** Creates folder {@code name} at the top level of the mailbox. */
	public String createFolder(WebmailUser user, UUID mailboxId, String name) {
		String folderName = validName(name);
		OpenableMailbox m = webmail.find(user, mailboxId);
		return webmail.imap(user, m, store -> {
			IMAPFolder folder = Webmail.folder(store, folderName);
			if (folder.exists()) {
				throw exists(folderName);
			}
			command(store, m, protocol -> protocol.create(folderName));
			command(store, m, protocol -> protocol.subscribe(folderName));
			return folderName;
		});
	}

	/** Renames folder {@code from} (not the inbox, not a special-use folder) to {@code to}. */
	public String renameFolder(WebmailUser user, UUID mailboxId, String from, String to) {
		String newName = validName(to);
		OpenableMailbox m = webmail.find(user, mailboxId);
		return webmail.imap(user, m, store -> {
			IMAPFolder folder = changeable(store, from);
			if (folder.getFullName().equals(newName)) {
				return newName;
			}
			if (Webmail.folder(store, newName).exists()) {
				throw exists(newName);
			}
			String oldName = folder.getFullName();
			command(store, m, protocol -> protocol.rename(oldName, newName));
			command(store, m, protocol -> protocol.subscribe(newName));
			return newName;
		});
	}

	/**
	 * Deletes folder {@code name} (not the inbox, not a special-use folder, not one holding other
	 * folders). One holding messages is deleted, with them, only when {@code confirmed}; otherwise
	 * nothing changes and the count says what the person is asked to confirm.
	 */
	public Deletion deleteFolder(WebmailUser user, UUID mailboxId, String name, boolean confirmed) {
		OpenableMailbox m = webmail.find(user, mailboxId);
		return webmail.imap(user, m, store -> {
			IMAPFolder folder = changeable(store, name);
			if (folder.list("*").length > 0) {
				throw new MailroomException(HttpStatus.CONFLICT, "folder_has_subfolders",
						"The folder " + folder.getFullName() + " holds other folders: delete or move those first");
			}
			// opened as for a change, so that a read-only member is refused before being asked to confirm
			openForChange(folder, m);
			int count;
			try {
				count = folder.getMessageCount();
			}
			finally {
				closeQuietly(folder);
			}
			if (count > 0 && !confirmed) {
				return new Deletion(folder.getFullName(), count, false);
			}
			String fullName = folder.getFullName();
			command(store, m, protocol -> protocol.unsubscribe(fullName));
			command(store, m, protocol -> protocol.delete(fullName));
			return new Deletion(fullName, count, true);
		});
	}

	// ---- internals --------------------------------------------------------------------------

	private static long[] selection(List<Long> uids) {
		Set<Long> distinct = uids == null ? Set.of() : new LinkedHashSet<>(uids);
		distinct.remove(null);
		if (distinct.isEmpty()) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "no_messages_selected", "Select at least one message");
		}
		if (distinct.size() > MAX_SELECTED) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "too_many_messages",
					"Select at most " + MAX_SELECTED + " messages at a time");
		}
		if (distinct.stream().anyMatch(uid -> uid < 1)) {
			throw MailroomException.notFound("Message");
		}
		return distinct.stream().mapToLong(Long::longValue).toArray();
	}

	/**
	 * Opens a folder read-write. Angus refuses a SELECT answered [READ-ONLY] with
	 * ReadOnlyFolderException (mail.imap.allowreadonlyselect is off), which is how Dovecot's ACL
	 * says a read-only member may not change anything.
	 */
	private static void openForChange(IMAPFolder folder, OpenableMailbox m) throws MessagingException {
		try {
			folder.open(Folder.READ_WRITE);
		}
		catch (ReadOnlyFolderException e) {
			throw Webmail.readOnly(m.address());
		}
	}

	private static void closeQuietly(IMAPFolder folder) throws MessagingException {
		if (folder.isOpen()) {
			folder.close(false);
		}
	}

	private static IMAPFolder target(IMAPStore store, IMAPFolder source, String target) throws MessagingException {
		if (target == null || target.isBlank()) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "no_target_folder", "Choose the folder to move to");
		}
		IMAPFolder destination = Webmail.folder(store, target);
		if (!destination.exists()) {
			throw MailroomException.notFound("Folder");
		}
		if (destination.getFullName().equals(source.getFullName())) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "same_folder", "The messages are already in that folder");
		}
		return destination;
	}

	/** An existing folder the person may rename or delete: not the inbox, not special-use; else 409 or 404. */
	private static IMAPFolder changeable(IMAPStore store, String name) throws MessagingException {
		if (name == null || name.isBlank() || name.equalsIgnoreCase("INBOX")) {
			throw protectedFolder("Inbox");
		}
		IMAPFolder folder = Webmail.folder(store, name);
		if (!folder.exists()) {
			throw MailroomException.notFound("Folder");
		}
		if (Arrays.stream(folder.getAttributes()).anyMatch(SPECIAL_USE::contains)) {
			throw protectedFolder(folder.getFullName());
		}
		return folder;
	}

	private static String label(IMAPFolder folder) {
		return folder.getFullName().equalsIgnoreCase("INBOX") ? "Inbox" : folder.getFullName();
	}

	/**
	 * A folder name a person may give: 1–100 characters, no control characters, no IMAP wildcards,
	 * no leading or trailing hierarchy separator, not the inbox.
	 */
	static String validName(String name) {
		String stripped = name == null ? "" : name.strip();
		String problem = null;
		if (stripped.isEmpty() || stripped.length() > MAX_FOLDER_NAME) {
			problem = "A folder name has 1 to " + MAX_FOLDER_NAME + " characters";
		}
		else if (stripped.chars().anyMatch(Character::isISOControl) || stripped.indexOf('*') >= 0
				|| stripped.indexOf('%') >= 0) {
			problem = "A folder name cannot contain * or % or control characters";
		}
		else if (stripped.startsWith("/") || stripped.endsWith("/") || stripped.contains("//")) {
			problem = "A folder name cannot start or end with /";
		}
		else if (stripped.toUpperCase(Locale.ROOT).equals("INBOX")) {
			problem = "INBOX is the name of the inbox";
		}
		if (problem != null) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "invalid_folder_name", problem);
		}
		return stripped;
	}

	private interface FolderCommand {

		void run(IMAPProtocol protocol) throws ProtocolException;
	}

	/**
	 * Runs a folder command (CREATE, RENAME, DELETE, SUBSCRIBE) on the store's connection: NO
	 * [NOPERM] is the ACL refusing a read-only member (403); another NO is a conflict the server
	 * explains only in its own words (409, not shown).
	 */
	private static void command(IMAPStore store, OpenableMailbox m, FolderCommand command) throws MessagingException {
		Object refusal = ((IMAPFolder) store.getFolder("INBOX")).doCommand(protocol -> {
			try {
				command.run(protocol);
				return null;
			}
			catch (CommandFailedException e) {
				return e.getResponse() == null ? "" : e.getResponse().toString();
			}
		});
		if (refusal instanceof String answer) {
			if (answer.toUpperCase(Locale.ROOT).contains("[NOPERM]")) {
				throw Webmail.readOnly(m.address());
			}
			throw new MailroomException(HttpStatus.CONFLICT, "folder_not_changed",
					"The mail server did not change the folder: reload the page and try again");
		}
	}

	private static MailroomException exists(String name) {
		return new MailroomException(HttpStatus.CONFLICT, "folder_exists", "There is already a folder named " + name);
	}

	private static MailroomException protectedFolder(String name) {
		return new MailroomException(HttpStatus.CONFLICT, "folder_protected",
				name + " is one of the mailbox's own folders: it cannot be renamed or deleted");
	}
}
