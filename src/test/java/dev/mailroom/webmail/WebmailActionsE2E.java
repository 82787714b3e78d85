package dev.mailroom.webmail;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mailroom.WebSession;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webmail actions end to end: flags, moving, deleting, emptying Trash and managing folders through
 * the pages, checked over IMAP; and a read-only member, who is offered none of them, changes
 * nothing with a forged form either (Dovecot's ACL refuses, the page says so).
 */
@MailPlaneTest
class WebmailActionsE2E {

	private static final String PW = MailTenant.PASSWORD;
	private static final Duration DELIVERY = Duration.ofSeconds(20);

	private final int port;
	private final MailroomSettings settings;

	MailTenant organization;

	@Autowired
	WebmailActionsE2E(@LocalServerPort int port, MailroomSettings settings) {
		this.port = port;
		this.settings = settings;
	}

	@BeforeEach
	void setUp() throws Exception {
		MailPlane.ensureStarted(settings);
		organization = MailTenant.create(port, "pro", "wa");
	}

	@Test
	void marksReadAndUnreadAndFlagsFromTheListAndTheMessage() throws Exception {
		var hana = mailbox("hana");
		MailPlane.deliver(hana.address(), "First note");
		MailPlane.deliver(hana.address(), "Second note");
		WebSession web = WebSession.signIn(base(), hana.address(), PW);
		String inbox = "/mail/" + hana.id();
		await().atMost(DELIVERY).until(() -> web.get(inbox).body().contains("Second note"));
		Map<String, Long> uids = uids(web, inbox);
		Document list = Jsoup.parse(web.get(inbox).body());
		assertThat(list.select("#message-actions #mail-toolbar button").eachText()).contains("Mark read", "Mark unread",
				"Flag", "Unflag", "Move", "Delete");
		assertThat(list.select("label[for=select-" + uids.get("First note") + "]").text()).isEqualTo("Select First note");
		assertThat(list.select("#select-all")).hasSize(1);
		assertThat(list.select("#read-only-note")).isEmpty();

		Document after = follow(web, act(web, inbox, "read", List.of(uids.get("First note"), uids.get("Second note")), null));
		assertThat(after.select("#flash .alert-success").text()).contains("2 messages marked read");
		assertThat(after.select("#message-list tr.unread")).isEmpty();
		assertThat(flags(hana.address(), "INBOX", "First note").contains(Flags.Flag.SEEN)).isTrue();
		assertThat(flags(hana.address(), "INBOX", "Second note").contains(Flags.Flag.SEEN)).isTrue();

		after = follow(web, act(web, inbox, "flag", List.of(uids.get("First note")), null));
		assertThat(after.select("#flash .alert-success").text()).contains("Message flagged");
		assertThat(after.select("tr[data-uid=" + uids.get("First note") + "] .mail-mark[title=Flagged]")).hasSize(1);
		assertThat(after.select("tr[data-uid=" + uids.get("Second note") + "] .mail-mark[title=Flagged]")).isEmpty();
		assertThat(flags(hana.address(), "INBOX", "First note").contains(Flags.Flag.FLAGGED)).isTrue();

		// "Select all on this page" works without script: the form lists the messages it shows
		Map<String, String> all = new LinkedHashMap<>();
		all.put("folder", "INBOX");
		all.put("all", "yes");
		all.put("shown", uids.get("First note") + "," + uids.get("Second note"));
		all.put("action", "unread");
		after = follow(web, web.post(inbox + "/messages/actions", all, inbox));
		assertThat(after.select("#flash .alert-success").text()).contains("2 messages marked unread");
		assertThat(after.select("#message-list tr.unread")).hasSize(2);
		assertThat(flags(hana.address(), "INBOX", "Second note").contains(Flags.Flag.SEEN)).isFalse();

		// on the message page: flag goes back to the message; unflag too; mark unread goes to the list
		String messagePage = inbox + "/messages/" + uids.get("Second note") + "?folder=INBOX";
		Document message = Jsoup.parse(web.get(messagePage).body());
		assertThat(message.select("#message-actions button").eachText()).contains("Mark unread", "Flag", "Move", "Delete")
			.doesNotContain("Unflag");
		Map<String, String> form = Map.of("folder", "INBOX", "uid", String.valueOf(uids.get("Second note")), "action",
				"flag", "back", messagePage);
		HttpResponse<String> flagged = web.post(inbox + "/messages/actions", form, messagePage);
		assertThat(location(flagged)).isEqualTo(messagePage);
		assertThat(Jsoup.parse(web.get(messagePage).body()).select("#flash .alert-success").text()).contains("Message flagged");
		assertThat(flags(hana.address(), "INBOX", "Second note").contains(Flags.Flag.FLAGGED)).isTrue();
		assertThat(Jsoup.parse(web.get(messagePage).body()).select("#message-actions button").eachText()).contains("Unflag")
			.doesNotContain("Flag");
		HttpResponse<String> unread = web.post(inbox + "/messages/actions",
				Map.of("folder", "INBOX", "uid", String.valueOf(uids.get("Second note")), "action", "unread", "back",
						messagePage),
				messagePage);
		assertThat(location(unread)).isEqualTo(inbox + "?folder=INBOX");
		assertThat(flags(hana.address(), "INBOX", "Second note").contains(Flags.Flag.SEEN)).isFalse();
		follow(web, act(web, inbox, "unflag", List.of(uids.get("Second note")), null));
		assertThat(flags(hana.address(), "INBOX", "Second note").contains(Flags.Flag.FLAGGED)).isFalse();
	}

	@Test
	void movesToAFolderDeletesToTrashAndDeletesInTrashForGood() throws Exception {
		var ivan = mailbox("ivan");
		for (String subject : List.of("Keep me", "File me", "Bin me")) {
			MailPlane.deliver(ivan.address(), subject);
		}
		WebSession web = WebSession.signIn(base(), ivan.address(), PW);
		String inbox = "/mail/" + ivan.id();
		await().atMost(DELIVERY).until(() -> web.get(inbox).body().contains("Bin me"));
		Map<String, Long> uids = uids(web, inbox);

		// nothing is half-applied: one unknown message and nothing moves
		Document refused = follow(web, act(web, inbox, "delete", List.of(uids.get("Bin me"), 999_999L), null));
		assertThat(refused.select("#flash .alert-error").text()).contains("Message not found");
		assertThat(subjects(ivan.address(), "INBOX")).containsExactlyInAnyOrder("Keep me", "File me", "Bin me");

		Document moved = follow(web, act(web, inbox, "move", List.of(uids.get("File me")), "Archive"));
		assertThat(moved.select("#flash .alert-success").text()).contains("Message moved to Archive");
		assertThat(subjects(ivan.address(), "Archive")).containsExactly("File me");
		assertThat(subjects(ivan.address(), "INBOX")).containsExactlyInAnyOrder("Keep me", "Bin me");
		assertThat(follow(web, act(web, inbox, "move", List.of(uids.get("Keep me")), "No such folder"))
			.select("#flash .alert-error")
			.text()).contains("Folder not found");

		Document deleted = follow(web, act(web, inbox, "delete", List.of(uids.get("Bin me")), null));
		assertThat(deleted.select("#flash .alert-success").text()).contains("Message deleted");
		assertThat(subjects(ivan.address(), "Trash")).containsExactly("Bin me");
		assertThat(subjects(ivan.address(), "INBOX")).containsExactly("Keep me");

		String trash = inbox + "?folder=Trash";
		Document inTrash = Jsoup.parse(web.get(trash).body());
		assertThat(inTrash.select("#mail-toolbar button[value=delete]").text()).isEqualTo("Delete permanently");
		assertThat(inTrash.select("#empty-trash button").text()).isEqualTo("Empty Trash");
		long trashed = uids(web, trash).get("Bin me");
		Map<String, String> form = Map.of("folder", "Trash", "uid", String.valueOf(trashed), "action", "delete");
		Document gone = follow(web, web.post(inbox + "/messages/actions", form, trash));
		assertThat(gone.select("#flash .alert-success").text()).contains("Message deleted permanently");
		assertThat(subjects(ivan.address(), "Trash")).isEmpty();
		assertThat(subjects(ivan.address(), "INBOX")).containsExactly("Keep me");
	}

	@Test
	void emptiesTrashOnlyAfterAsking() throws Exception {
		var june = mailbox("june");
		MailPlane.deliver(june.address(), "Old one");
		MailPlane.deliver(june.address(), "Older one");
		WebSession web = WebSession.signIn(base(), june.address(), PW);
		String inbox = "/mail/" + june.id();
		await().atMost(DELIVERY).until(() -> web.get(inbox).body().contains("Older one"));
		Map<String, Long> uids = uids(web, inbox);
		follow(web, act(web, inbox, "delete", new ArrayList<>(uids.values()), null));
		assertThat(subjects(june.address(), "Trash")).hasSize(2);

		String trash = inbox + "?folder=Trash";
		HttpResponse<String> asked = web.post(inbox + "/trash/empty", Map.of(), trash);
		assertThat(asked.statusCode()).isEqualTo(200);
		Document question = Jsoup.parse(asked.body());
		assertThat(question.select("#confirm-title").text()).isEqualTo("Empty Trash?");
		assertThat(question.select("#confirm-text").text()).contains("This permanently deletes 2 messages");
		assertThat(question.select("#confirm-cancel").attr("href")).isEqualTo(inbox + "?folder=Trash");
		assertThat(subjects(june.address(), "Trash")).as("asking changes nothing").hasSize(2);

		Document emptied = follow(web, web.post(inbox + "/trash/empty", Map.of("confirm", "yes"), trash));
		assertThat(emptied.select("#flash .alert-success").text()).contains("2 messages deleted permanently");
		assertThat(subjects(june.address(), "Trash")).isEmpty();
	}

	@Test
	void createsRenamesAndDeletesFoldersButNotTheMailboxsOwn() throws Exception {
		var kim = mailbox("kim");
		MailPlane.deliver(kim.address(), "For the project");
		WebSession web = WebSession.signIn(base(), kim.address(), PW);
		String inbox = "/mail/" + kim.id();
		await().atMost(DELIVERY).until(() -> web.get(inbox).body().contains("For the project"));
		assertThat(Jsoup.parse(web.get(inbox).body()).select("#manage-folders #create-folder")).hasSize(1);

		Document created = follow(web, web.post(inbox + "/folders", Map.of("name", "Projects", "folder", "INBOX"), inbox));
		assertThat(created.select("#flash .alert-success").text()).contains("Folder Projects created");
		assertThat(created.select("#folders a").eachAttr("data-folder")).contains("Projects");
		assertThat(folderExists(kim.address(), "Projects")).isTrue();
		assertThat(error(web, inbox + "/folders", Map.of("name", "Projects"), inbox)).contains("already a folder named Projects");
		assertThat(error(web, inbox + "/folders", Map.of("name", "a*b"), inbox)).contains("cannot contain");
		assertThat(error(web, inbox + "/folders", Map.of("name", "/lead"), inbox)).contains("cannot start or end with /");
		assertThat(error(web, inbox + "/folders", Map.of("name", "inbox"), inbox)).contains("INBOX");

		String projects = inbox + "?folder=Projects";
		Document renamed = follow(web,
				web.post(inbox + "/folders/rename", Map.of("folder", "Projects", "name", "Clients"), projects));
		assertThat(renamed.select("#flash .alert-success").text()).contains("Folder Projects renamed to Clients");
		assertThat(folderExists(kim.address(), "Clients")).isTrue();
		assertThat(folderExists(kim.address(), "Projects")).isFalse();
		assertThat(renamed.select("#rename-folder")).hasSize(1);
		for (String own : List.of("Trash", "Sent", "INBOX")) {
			assertThat(error(web, inbox + "/folders/rename", Map.of("folder", own, "name", "Renamed"), inbox)).as(own)
				.contains("cannot be renamed or deleted");
			assertThat(error(web, inbox + "/folders/delete", Map.of("folder", own, "confirm", "yes"), inbox)).as(own)
				.contains("cannot be renamed or deleted");
		}
		assertThat(Jsoup.parse(web.get(inbox + "?folder=Trash").body()).select("#rename-folder, #delete-folder")).isEmpty();

		// a folder holding messages is deleted only once the person confirms
		follow(web, act(web, inbox, "move", List.of(uids(web, inbox).get("For the project")), "Clients"));
		String clients = inbox + "?folder=Clients";
		HttpResponse<String> asked = web.post(inbox + "/folders/delete", Map.of("folder", "Clients"), clients);
		assertThat(asked.statusCode()).isEqualTo(200);
		Document question = Jsoup.parse(asked.body());
		assertThat(question.select("#confirm-title").text()).isEqualTo("Delete the folder Clients?");
		assertThat(question.select("#confirm-text").text()).contains("It holds 1 message");
		assertThat(folderExists(kim.address(), "Clients")).isTrue();
		Document deleted = follow(web,
				web.post(inbox + "/folders/delete", Map.of("folder", "Clients", "confirm", "yes"), clients));
		assertThat(deleted.select("#flash .alert-success").text()).contains("Folder Clients deleted");
		assertThat(folderExists(kim.address(), "Clients")).isFalse();
		assertThat(deleted.select("#folders a").eachAttr("data-folder")).doesNotContain("Clients");
	}

	@Test
	void aReadOnlyMemberIsOfferedNoActionsAndForgedOnesChangeNothing() throws Exception {
		var lena = mailbox("lena");
		var max = mailbox("max");
		var support = shared("support", Map.of(lena.id(), "reply", max.id(), "read_only"));
		MailPlane.deliver(support.address(), "Customer question");
		WebSession maxs = WebSession.signIn(base(), max.address(), PW);
		String shared = "/mail/" + support.id();
		await().atMost(DELIVERY).until(() -> maxs.get(shared).body().contains("Customer question"));
		long uid = uids(maxs, shared).get("Customer question");

		Document list = Jsoup.parse(maxs.get(shared).body());
		assertThat(list.select("#read-only-note").text())
			.isEqualTo("Read-only: you can read this mailbox's mail but not change, move or delete it.");
		assertThat(list.select("#message-actions, #mail-toolbar, #empty-trash, #manage-folders, input[name=uid]")).isEmpty();
		assertThat(list.select("#message-list td.mail-subject").text()).contains("Customer question");
		String messagePage = shared + "/messages/" + uid + "?folder=INBOX";
		Document message = Jsoup.parse(maxs.get(messagePage).body());
		assertThat(message.select("#read-only-note")).hasSize(1);
		assertThat(message.select("#message-actions")).isEmpty();

		// forged forms: Dovecot's [READ-ONLY] SELECT and NO [NOPERM] become a clear refusal, never a 500
		String refusal = "read-only access to " + support.address();
		for (String action : List.of("flag", "read", "delete", "move")) {
			HttpResponse<String> forged = act(maxs, shared, action, List.of(uid), "move".equals(action) ? "Archive" : null);
			assertThat(forged.statusCode()).as(action).isEqualTo(302);
			assertThat(follow(maxs, forged).select("#flash .alert-error").text()).as(action).contains(refusal);
		}
		assertThat(error(maxs, shared + "/folders", Map.of("name", "Sneaky"), shared)).contains(refusal);
		assertThat(error(maxs, shared + "/trash/empty", Map.of("confirm", "yes"), shared)).contains(refusal);
		assertThat(error(maxs, shared + "/folders/delete", Map.of("folder", "Trash", "confirm", "yes"), shared))
			.contains("cannot be renamed or deleted");

		// as a reply member sees it over IMAP: the message where it was, unread, unflagged; no new folder
		try (Store store = MailPlane.imapAs(support.address(), lena.address(), PW)) {
			Folder inbox = store.getFolder("INBOX");
			inbox.open(Folder.READ_ONLY);
			Message[] messages = inbox.getMessages();
			assertThat(messages).hasSize(1);
			assertThat(messages[0].getSubject()).isEqualTo("Customer question");
			assertThat(messages[0].isSet(Flags.Flag.SEEN)).isFalse();
			assertThat(messages[0].isSet(Flags.Flag.FLAGGED)).isFalse();
			assertThat(messages[0].isSet(Flags.Flag.DELETED)).isFalse();
			inbox.close(false);
			for (String folder : List.of("Archive", "Trash")) {
				Folder other = store.getFolder(folder);
				assertThat(other.exists() ? other.getMessageCount() : 0).as(folder).isZero();
			}
			assertThat(store.getFolder("Sneaky").exists()).isFalse();
		}
	}

	// ---- helpers ----

	private String base() {
		return "http://localhost:" + port;
	}

	private MailTenant.Box mailbox(String localPart) {
		return organization.mailbox(localPart);
	}

	private MailTenant.Box shared(String localPart, Map<String, String> members) {
		return organization.shared(localPart, members);
	}

	/** The list's messages by subject, from the rows' data-uid. */
	private static Map<String, Long> uids(WebSession web, String listPage) {
		Map<String, Long> uids = new LinkedHashMap<>();
		for (var row : Jsoup.parse(web.get(listPage).body()).select("#message-list tr[data-uid]")) {
			uids.put(row.select("td.mail-subject a").text().replace("Unread: ", ""), Long.parseLong(row.attr("data-uid")));
		}
		return uids;
	}

	/** Posts the list's action form; several uids go as one comma-separated value (Spring splits it). */
	private static HttpResponse<String> act(WebSession web, String listPath, String action, List<Long> uids,
			String target) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("folder", "INBOX");
		form.put("uid", String.join(",", uids.stream().map(String::valueOf).toList()));
		form.put("action", action);
		if (target != null) {
			form.put("target", target);
		}
		return web.post(listPath + "/messages/actions", form, listPath);
	}

	/** The error the page shows after a refused form. */
	private static String error(WebSession web, String path, Map<String, String> form, String formPage) {
		HttpResponse<String> answer = web.post(path, form, formPage);
		assertThat(answer.statusCode()).as(path).isEqualTo(302);
		return follow(web, answer).select("#flash .alert-error").text();
	}

	private static String location(HttpResponse<String> response) {
		String location = response.headers().firstValue("Location").orElseThrow();
		return location.substring(location.indexOf("/mail/"));
	}

	private static Document follow(WebSession web, HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		HttpResponse<String> page = web.get(location(response));
		assertThat(page.statusCode()).isEqualTo(200);
		return Jsoup.parse(page.body());
	}

	private static List<Flags.Flag> flags(String address, String folderName, String subject) throws MessagingException {
		try (Store store = MailPlane.imap(address, PW)) {
			Folder folder = store.getFolder(folderName);
			folder.open(Folder.READ_ONLY);
			try {
				for (Message message : folder.getMessages()) {
					if (subject.equals(message.getSubject())) {
						return Arrays.asList(message.getFlags().getSystemFlags());
					}
				}
				throw new AssertionError("no message " + subject + " in " + folderName);
			}
			finally {
				folder.close(false);
			}
		}
	}

	private static List<String> subjects(String address, String folderName) throws MessagingException {
		try (Store store = MailPlane.imap(address, PW)) {
			Folder folder = store.getFolder(folderName);
			folder.open(Folder.READ_ONLY);
			try {
				List<String> subjects = new ArrayList<>();
				for (Message message : folder.getMessages()) {
					subjects.add(message.getSubject());
				}
				return subjects;
			}
			finally {
				folder.close(false);
			}
		}
	}

	private static boolean folderExists(String address, String folderName) throws MessagingException {
		try (Store store = MailPlane.imap(address, PW)) {
			return store.getFolder(folderName).exists();
		}
	}
}
