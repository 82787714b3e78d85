package dev.mailroom.mailplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.TestApi;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The mail plane end to end: real Postfix and Dovecot started by scripts/mailplane, reading this
 * application's database through the mailplane views, driven by real IMAP and SMTP clients.
 * Runs in the e2e profile ({@code ./mvnw verify -Pe2e}), which .ci/run uses after installing
 * the packages.
 */
@MailPlaneTest
class MailPlaneE2E {

	private static final String PW = MailTenant.PASSWORD;
	private static final Duration DELIVERY = Duration.ofSeconds(20);

	private final int port;
	private final MailroomSettings settings;
	private final MailboxService mailboxService;
	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;

	MailTenant organization;
	TestApi api;
	TestApi.Tenant tenant;
	String domain;
	String domainId;

	@Autowired
	MailPlaneE2E(@LocalServerPort int port, MailroomSettings settings, MailboxService mailboxService, JdbcClient jdbc,
			TransactionTemplate transactions) {
		this.port = port;
		this.settings = settings;
		this.mailboxService = mailboxService;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@BeforeEach
	void setUp() throws Exception {
		MailPlane.ensureStarted(settings);
		organization = MailTenant.create(port, "pro", "mp");
		api = organization.api;
		tenant = organization.tenant;
		domain = organization.domain;
		domainId = organization.domainId;
	}

	@Test
	void aMailboxFromARedeemedInviteSignsInOverImapAndSubmitsAtOnce() throws Exception {
		var sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", "dana@outside.example"));
		assertThat(sent.status()).isEqualTo(201);
		String link = sent.text("link");
		String token = link.substring(link.lastIndexOf('/') + 1);
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				Map.of("local_part", "dana", "password", PW));
		assertThat(accepted.status()).isEqualTo(201);
		String dana = "dana@" + domain;

		// the same second: no sync, the views are the directory
		try (Store store = MailPlane.imap(dana, PW)) {
			assertThat(store.isConnected()).isTrue();
		}
		MailPlane.submit(dana, PW, dana, dana, dana, "first message");
		try (Store store = MailPlane.imap(dana, PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("first message"));
		}
		assertThatThrownBy(() -> MailPlane.imap(dana, "Wrong-password-123")).isInstanceOf(AuthenticationFailedException.class);
		assertThatThrownBy(() -> MailPlane.submit(dana, "Wrong-password-123", dana, dana, dana, "x"))
			.isInstanceOf(AuthenticationFailedException.class);
	}

	@Test
	void aSharedMailboxNeverSignsInWhateverThePassword() throws Exception {
		var alice = mailbox("alice");
		String support = shared("support", Map.of(alice.id(), "reply")).address();
		for (String password : List.of(PW, "Anything-at-all-42")) {
			assertThatThrownBy(() -> MailPlane.imap(support, password)).isInstanceOf(AuthenticationFailedException.class);
		}
		assertThatThrownBy(() -> MailPlane.submit(support, PW, support, support, alice.address(), "x"))
			.isInstanceOf(AuthenticationFailedException.class);
		// nor through the master-user form with the shared mailbox's own name as the member
		assertThatThrownBy(() -> MailPlane.imapAs(support, support, PW)).isInstanceOf(AuthenticationFailedException.class);
	}

	@Test
	void membersOpenTheSharedMailboxOthersCannotAndARemovedMemberIsCutOffAtOnce() throws Exception {
		var alice = mailbox("alice");
		var bob = mailbox("bob");
		var carol = mailbox("carol");
		var support = shared("support", Map.of(alice.id(), "reply", bob.id(), "reply"));
		MailPlane.deliver(support.address(), "customer question");

		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("customer question"));
		}
		assertThatThrownBy(() -> MailPlane.imapAs(support.address(), carol.address(), PW))
			.isInstanceOf(AuthenticationFailedException.class);
		// a member's password opens only what that member may open
		assertThatThrownBy(() -> MailPlane.imapAs(support.address(), alice.address(), "Wrong-password-123"))
			.isInstanceOf(AuthenticationFailedException.class);

		Store bobs = MailPlane.imapAs(support.address(), bob.address(), PW);
		Folder inbox = bobs.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);
		assertThat(inbox.getMessageCount()).isEqualTo(1);
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + support.id() + "/members/" + bob.id(), null)
			.status()).isEqualTo(204);
		// the open session is ended by the app (doveadm kick), not left to run
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionEnded(inbox));
		assertThatThrownBy(() -> MailPlane.imapAs(support.address(), bob.address(), PW))
			.isInstanceOf(AuthenticationFailedException.class);
		// alice is still a member
		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			assertThat(MailPlane.subjects(store)).contains("customer question");
		}
	}

	@Test
	void archivingAMembersOwnMailboxEndsTheirSessionInTheSharedMailboxToo() throws Exception {
		var alice = mailbox("alice");
		var bob = mailbox("bob");
		var support = shared("support", Map.of(alice.id(), "reply", bob.id(), "reply"));
		Store bobs = MailPlane.imapAs(support.address(), bob.address(), PW);
		Folder inbox = bobs.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);
		assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + bob.id(), Map.of("status", "archived"))
			.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionEnded(inbox));
		assertThatThrownBy(() -> MailPlane.imapAs(support.address(), bob.address(), PW))
			.isInstanceOf(AuthenticationFailedException.class);
		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			assertThat(store.isConnected()).isTrue();
		}
	}

	@Test
	void aReadOnlyMemberReadsButChangesNothingAndNeverSendsAsTheSharedAddress() throws Exception {
		var alice = mailbox("alice");
		var rita = mailbox("rita");
		var support = shared("support", Map.of(alice.id(), "reply", rita.id(), "read_only"));
		MailPlane.deliver(support.address(), "keep me");
		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("keep me"));
		}

		try (Store store = MailPlane.imapAs(support.address(), rita.address(), PW)) {
			assertThat(MailPlane.subjects(store)).containsExactly("keep me");
			List<String> statuses = MailPlane.rawInSelectedInbox(store, "STORE 1 +FLAGS (\\Deleted \\Flagged)", "EXPUNGE");
			assertThat(statuses.getFirst()).contains("READ-ONLY");
			// RFC 4314: STORE and EXPUNGE may answer OK; what matters is that nothing changed
			Folder drafts = store.getFolder("Drafts");
			MimeMessage draft = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
			draft.setText("draft");
			draft.setSubject("sneaky");
			assertThatThrownBy(() -> drafts.appendMessages(new jakarta.mail.Message[] { draft }))
				.isInstanceOf(MessagingException.class);
			assertThatThrownBy(() -> store.getFolder("INBOX").appendMessages(new jakarta.mail.Message[] { draft }))
				.isInstanceOf(MessagingException.class);
		}
		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			Folder inbox = store.getFolder("INBOX");
			inbox.open(Folder.READ_ONLY);
			assertThat(inbox.getMessageCount()).isEqualTo(1);
			var flags = inbox.getMessage(1).getFlags();
			assertThat(flags.contains(jakarta.mail.Flags.Flag.DELETED)).isFalse();
			assertThat(flags.contains(jakarta.mail.Flags.Flag.FLAGGED)).isFalse();
			inbox.close(false);
		}

		// read-only: neither the envelope nor the header may name the shared address
		assertThatThrownBy(() -> MailPlane.submit(rita.address(), PW, support.address(), support.address(),
				alice.address(), "as support")).isInstanceOf(SendFailedException.class).hasStackTraceContaining("553");
		assertThatThrownBy(() -> MailPlane.submit(rita.address(), PW, rita.address(), support.address(),
				alice.address(), "header only")).isInstanceOf(MessagingException.class).hasStackTraceContaining("553");
		// nobody sends as an address they have no right to, envelope or header
		assertThatThrownBy(() -> MailPlane.submit(alice.address(), PW, rita.address(), rita.address(), alice.address(),
				"as rita")).isInstanceOf(SendFailedException.class).hasStackTraceContaining("553");
		assertThatThrownBy(() -> MailPlane.submit(alice.address(), PW, alice.address(), rita.address(), alice.address(),
				"as rita in From")).isInstanceOf(MessagingException.class).hasStackTraceContaining("553");
		// a reply member can, and the mail arrives
		MailPlane.submit(alice.address(), PW, support.address(), "Support <" + support.address() + ">", alice.address(),
				"answer from support");
		try (Store store = MailPlane.imap(alice.address(), PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("answer from support"));
		}
	}

	@Test
	void mailToARegularASharedAndASubaddressIsDeliveredAndRoleAddressesReachTheOwner() throws Exception {
		var alice = mailbox("alice");
		var support = shared("support", Map.of(alice.id(), "reply"));
		MailPlane.deliver(alice.address(), "to alice");
		MailPlane.deliver("alice+newsletter@" + domain, "to alice plus tag");
		MailPlane.deliver(support.address(), "to support");
		try (Store store = MailPlane.imap(alice.address(), PW)) {
			await().atMost(DELIVERY)
				.until(() -> MailPlane.subjects(store).containsAll(List.of("to alice", "to alice plus tag")));
		}
		try (Store store = MailPlane.imapAs(support.address(), alice.address(), PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("to support"));
		}
		// unknown addresses are refused at RCPT, foreign domains are not relayed
		assertThatThrownBy(() -> MailPlane.deliver("nobody@" + domain, "x")).isInstanceOf(SendFailedException.class)
			.hasStackTraceContaining("550");
		assertThatThrownBy(() -> MailPlane.deliver("someone@not-ours.example", "x"))
			.isInstanceOf(SendFailedException.class)
			.hasStackTraceContaining("554");
		// postmaster@ and abuse@ are aliases of the organization's owner (Postfix's own lookup)
		// -c: our main.cf, never /etc/postfix's (a bare machine has none)
		Path postfix = MailPlane.mailDir().getParent().resolve("postfix");
		Process postmap = new ProcessBuilder("postmap", "-c", postfix.toString(), "-q", "postmaster@" + domain,
				"pgsql:" + postfix.resolve("pgsql-aliases.cf")).redirectErrorStream(true)
			.start();
		assertThat(new String(postmap.getInputStream().readAllBytes()).strip()).isEqualTo(tenant.ownerEmail());
	}

	@Test
	void aDedicatedAllocationIsAQuotaRefusedAtRcptTimeAndUsageIsReported() throws Exception {
		var small = mailbox("small", 1);
		MailPlane.deliverLarge(small.address(), "big one", 700_000, false);
		try (Store store = MailPlane.imap(small.address(), PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains("big one"));
		}
		// a sender that announces the size (SIZE=, as MTAs do) is refused at RCPT time
		assertThatThrownBy(() -> MailPlane.deliverLarge(small.address(), "too much", 700_000, true))
			.isInstanceOf(SendFailedException.class)
			.hasStackTraceContaining("552 5.2.2");
		var shown = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + small.id(), null);
		assertThat(shown.json().get("message_count").asLong()).isEqualTo(1);
		assertThat(shown.json().get("storage_used_mb").asDouble()).isBetween(0.6, 1.0);
		// and per member on the team usage (the owner created the mailbox)
		var usage = api.bearer(tenant.apiKey(), "GET", "/api/v1/team/usage", null);
		assertThat(usage.status()).isEqualTo(200);
		assertThat(usage.json().get("members").get(0).get("storage_used_mb").asDouble()).isBetween(0.6, 1.0);
		// and on the Mailboxes page, which no longer says the mail plane is missing
		var page = org.jsoup.Jsoup.parse(dev.mailroom.WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD)
			.get("/mailboxes").body());
		assertThat(page.select("#mailplane-not-connected")).isEmpty();
		assertThat(page.select(".storage-used").text()).matches(".*0\\.\\d\\d MB used.*");
	}

	@Test
	void convertingToSharedKillsTheOldPasswordAndItsOpenSessionAtOnce() throws Exception {
		var alice = mailbox("alice");
		var carl = mailbox("carl");
		Store open = MailPlane.imap(carl.address(), PW);
		Folder inbox = open.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);
		var converted = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + carl.id() + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", alice.id()))));
		assertThat(converted.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionEnded(inbox));
		assertThatThrownBy(() -> MailPlane.imap(carl.address(), PW)).isInstanceOf(AuthenticationFailedException.class);
		try (Store store = MailPlane.imapAs(carl.address(), alice.address(), PW)) {
			assertThat(store.isConnected()).isTrue();
		}
	}

	@Test
	void archiveAndDeleteStopLoginAndDeliveryAndRestoreBringsBothBack() throws Exception {
		var dave = mailbox("dave");
		Store open = MailPlane.imap(dave.address(), PW);
		Folder inbox = open.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);

		assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + dave.id(), Map.of("status", "archived"))
			.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionEnded(inbox));
		assertRefusedEverywhere(dave.address());
		assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + dave.id(), Map.of("status", "active"))
			.status()).isEqualTo(200);
		assertWorks(dave.address(), "after unarchive");

		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + dave.id(), null).status()).isEqualTo(204);
		assertRefusedEverywhere(dave.address());
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + dave.id() + "/restore", null).status())
			.isEqualTo(200);
		assertWorks(dave.address(), "after restore");
		try (Store store = MailPlane.imap(dave.address(), PW)) {
			// mail kept through the recycle bin is still there
			assertThat(MailPlane.subjects(store)).contains("after unarchive", "after restore");
		}
	}

	@Test
	void thePurgeRemovesTheMailboxsMailFromTheMailPlane() throws Exception {
		var erin = mailbox("erin");
		MailPlane.deliver(erin.address(), "soon gone");
		await().atMost(DELIVERY).until(() -> !MailPlane.messageFiles(erin.id()).isEmpty());
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + erin.id(), null).status()).isEqualTo(204);
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("update mailroom.mailboxes set purge_at = now() - interval '1 second' where id = :id")
				.param("id", UUID.fromString(erin.id())).update();
		});
		assertThat(mailboxService.purgeExpired(1000)).isGreaterThanOrEqualTo(1);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + erin.id(), null).status()).isEqualTo(404);
		// the row is gone, the mail not yet: the purge recorded its wipe, which Dovecot finds by mailbox id
		assertThat(MailPlane.messageFiles(erin.id())).isNotEmpty();
		assertThat(pendingWipe(erin.id())).isTrue();
		assertThat(mailboxService.wipePurgedMailData(1000)).isGreaterThanOrEqualTo(1);
		assertThat(MailPlane.messageFiles(erin.id())).isEmpty();
		assertThat(pendingWipe(erin.id())).isFalse();
	}

	private boolean pendingWipe(String mailboxId) {
		return Boolean.TRUE.equals(transactions.execute(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			return jdbc.sql("select count(*) from mailroom.mail_wipes where mailbox_id = :id")
				.param("id", UUID.fromString(mailboxId)).query(Long.class).single() > 0;
		}));
	}

	// ---- helpers ----

	private MailTenant.Box mailbox(String localPart) {
		return organization.mailbox(localPart);
	}

	private MailTenant.Box mailbox(String localPart, Integer storageMb) {
		return organization.mailbox(localPart, storageMb);
	}

	private MailTenant.Box shared(String localPart, Map<String, String> members) {
		return organization.shared(localPart, members);
	}

	private static boolean sessionEnded(Folder openFolder) {
		try {
			openFolder.getMessageCount();
			((org.eclipse.angus.mail.imap.IMAPFolder) openFolder).doCommand(p -> {
				p.simpleCommand("NOOP", null);
				return null;
			});
			return false;
		}
		catch (MessagingException | IllegalStateException e) {
			return true;
		}
	}

	private static void assertRefusedEverywhere(String address) {
		assertThatThrownBy(() -> MailPlane.imap(address, PW)).isInstanceOf(AuthenticationFailedException.class);
		assertThatThrownBy(() -> MailPlane.submit(address, PW, address, address, address, "x"))
			.isInstanceOf(AuthenticationFailedException.class);
		assertThatThrownBy(() -> MailPlane.deliver(address, "x")).isInstanceOf(SendFailedException.class)
			.hasStackTraceContaining("550");
	}

	private static void assertWorks(String address, String subject) throws Exception {
		MailPlane.deliver(address, subject);
		try (Store store = MailPlane.imap(address, PW)) {
			await().atMost(DELIVERY).until(() -> MailPlane.subjects(store).contains(subject));
		}
	}
}
