package dev.mailroom.webmail;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Webmail end to end: the pages read mail through the real Dovecot as the signed-in person, with
 * the web session's credential, and Dovecot decides what each person may open.
 */
@MailPlaneTest
class WebmailE2E {

	private static final String PW = MailTenant.PASSWORD;
	private static final Duration DELIVERY = Duration.ofSeconds(20);
	private static final Pattern MESSAGE_LINK = Pattern.compile("href=\"(/mail/[0-9a-f-]{36}/messages/\\d+[^\"]*)\"");

	private final int port;
	private final MailroomSettings settings;
	private final WebmailCredentials credentials;
	private final ImapConnections connections;
	private final JdbcClient jdbc;

	MailTenant organization;
	TestApi api;
	TestApi.Tenant tenant;
	String domain;
	String domainId;

	@Autowired
	WebmailE2E(@LocalServerPort int port, MailroomSettings settings, WebmailCredentials credentials,
			ImapConnections connections, JdbcClient jdbc) {
		this.port = port;
		this.settings = settings;
		this.credentials = credentials;
		this.connections = connections;
		this.jdbc = jdbc;
	}

	@BeforeEach
	void setUp() throws Exception {
		MailPlane.ensureStarted(settings);
		organization = MailTenant.create(port, "pro", "wm");
		api = organization.api;
		tenant = organization.tenant;
		domain = organization.domain;
		domainId = organization.domainId;
	}

	@Test
	void aRedeemedInviteReadsItsMailInTheBrowser() throws Exception {
		var sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", "dana@outside.example"));
		String link = sent.text("link");
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				Map.of("local_part", "dana", "password", PW));
		assertThat(accepted.status()).isEqualTo(201);
		String dana = "dana@" + domain;
		MailPlane.deliver(dana, m -> {
			m.setSubject("Welcome aboard");
			m.setText("Your first message.\nSecond line.");
		});

		// everything the application logs while she reads, at every level (nothing of the message may be in it)
		var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
		logged.start();
		root.addAppender(logged);
		WebSession web = WebSession.signIn("http://localhost:" + port, dana, PW);
		var mail = web.get("/mail");
		assertThat(mail.statusCode()).isEqualTo(302);
		String inbox = mail.headers().firstValue("Location").orElseThrow();
		assertThat(inbox).matches(".*/mail/[0-9a-f-]{36}$");
		String inboxPath = inbox.substring(inbox.indexOf("/mail/"));
		await().atMost(DELIVERY).until(() -> web.get(inboxPath).body().contains("Welcome aboard"));

		Document page = Jsoup.parse(web.get(inboxPath).body());
		assertThat(page.select("#mail-banner").text()).contains("You are working in " + dana).contains("you can reply");
		assertThat(page.select("#mailbox-switcher a").eachAttr("data-address")).containsExactly(dana);
		assertThat(page.select("#folders a").eachAttr("data-folder")).startsWith("INBOX", "Drafts", "Sent", "Archive", "Junk",
				"Trash");
		assertThat(page.select("#message-list tr.unread").text()).contains("Welcome aboard").contains("sender@outside.example");
		assertThat(page.select("#nav-mail")).hasSize(1);

		Matcher open = MESSAGE_LINK.matcher(web.get(inboxPath).body());
		assertThat(open.find()).isTrue();
		Document message = Jsoup.parse(web.get(open.group(1).replace("&amp;", "&")).body());
		assertThat(message.select("#message-subject").text()).isEqualTo("Welcome aboard");
		assertThat(message.select("#message-text").text()).contains("Your first message.");
		// the owner of the mailbox may write flags: opening it marked it read
		assertThat(Jsoup.parse(web.get(inboxPath).body()).select("#message-list tr.unread")).isEmpty();
		org.slf4j.LoggerFactory.getLogger(Webmail.class).warn("canary: the appender sees the webmail module's lines");
		root.detachAppender(logged);
		assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
			.contains("canary: the appender sees the webmail module's lines");
		assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
			.noneMatch(line -> line.contains("Welcome aboard") || line.contains("Your first message")
					|| line.contains("sender@outside.example"));
	}

	@Test
	void theWebSessionsCredentialOpensOnlyWhatThePersonMayAndDiesWithTheSession() throws Exception {
		var alice = mailbox("alice");
		var bob = mailbox("bob");
		var support = shared("support", Map.of(alice.id(), "read_only", bob.id(), "reply"));
		WebSession web = WebSession.signIn("http://localhost:" + port, alice.address(), PW);
		UUID aliceUser = userOf(alice.address());
		var credential = credentials.of(new MockHttpSession(null, web.sessionId()), aliceUser).orElseThrow();

		// Dovecot takes it as alice, and as alice in support (read-only there), but not as bob
		try (Store own = MailPlane.imap(alice.address(), credential.password())) {
			assertThat(own.isConnected()).isTrue();
		}
		try (Store shared = MailPlane.imapAs(support.address(), alice.address(), credential.password())) {
			assertThat(MailPlane.rawInSelectedInbox(shared).getFirst()).contains("[READ-ONLY]");
		}
		assertThatThrownBy(() -> MailPlane.imap(bob.address(), credential.password()))
			.isInstanceOf(AuthenticationFailedException.class);
		// only a hash is stored, and it is not the password
		String stored = jdbc.sql("select secret_hash from mailroom.webmail_credentials where id = ?")
			.param(credential.id())
			.query(String.class)
			.single();
		assertThat(stored).startsWith("{SHA256.HEX}").doesNotContain(credential.password().substring(37));

		// removed from support: the shared mailbox is gone from the switcher, its URL is a 404, Dovecot refuses
		assertThat(web.get("/mail/" + support.id()).statusCode()).isEqualTo(200);
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + support.id() + "/members/" + alice.id(), null)
			.status()).isEqualTo(204);
		assertThat(web.get("/mail/" + support.id()).statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(web.get("/mail/" + alice.id()).body()).select("#mailbox-switcher a").eachAttr("data-address"))
			.containsExactly(alice.address());
		assertThatThrownBy(() -> MailPlane.imapAs(support.address(), alice.address(), credential.password()))
			.isInstanceOf(AuthenticationFailedException.class);

		// Dovecot counts the browser's address, not the app's (IMAP ID from login_trusted_networks)
		connections.store(credential, alice.address(), "203.0.113.7");
		assertThat(java.nio.file.Files.readString(MailPlane.ensureStarted(settings).resolve("log/dovecot.log")))
			.containsPattern("Login: user=<" + Pattern.quote(alice.address()) + ">.*rip=203\\.0\\.113\\.7");
		connections.closeAll(credential.id());

		// signed out: the session and its credential are gone, and its open IMAP connections closed
		UUID pageCredential = jdbc.sql("""
				select c.id from mailroom.webmail_credentials c
				join mailroom.spring_session s on s.primary_id = c.session_primary_id
				where s.session_id = ? and c.id <> ?""").params(web.sessionId(), credential.id()).query(UUID.class).single();
		assertThat(connections.open(pageCredential)).isPositive();
		web.post("/signout", Map.of(), "/mail/" + alice.id());
		assertThat(connections.open(pageCredential)).isZero();
		assertThatThrownBy(() -> MailPlane.imap(alice.address(), credential.password()))
			.isInstanceOf(AuthenticationFailedException.class);
		assertThat(jdbc.sql("select count(*) from mailroom.webmail_credentials where id = ?")
			.param(credential.id())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aMemberSwitchesToTheSharedMailboxAndSeesTheBanner() throws Exception {
		var alice = mailbox("alice");
		var bob = mailbox("bob");
		var support = shared("support", Map.of(alice.id(), "reply", bob.id(), "read_only"));
		MailPlane.deliver(support.address(), "Customer question");

		WebSession bobs = WebSession.signIn("http://localhost:" + port, bob.address(), PW);
		Document own = Jsoup.parse(bobs.get("/mail/" + bob.id()).body());
		assertThat(own.select("#mailbox-switcher a").eachAttr("data-address")).containsExactly(bob.address(),
				support.address());
		await().atMost(DELIVERY)
			.until(() -> bobs.get("/mail/" + support.id()).body().contains("Customer question"));
		Document shared = Jsoup.parse(bobs.get("/mail/" + support.id()).body());
		assertThat(shared.select("#mail-banner").text()).contains("You are working in " + support.address())
			.contains("read-only");
		assertThat(shared.select("#mail-banner.read-only")).hasSize(1);

		// a read-only member reads without marking the message read for everyone
		Matcher open = MESSAGE_LINK.matcher(bobs.get("/mail/" + support.id()).body());
		assertThat(open.find()).isTrue();
		assertThat(bobs.get(open.group(1).replace("&amp;", "&")).statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(bobs.get("/mail/" + support.id()).body()).select("#message-list tr.unread")).hasSize(1);
	}

	@Test
	void aGuestSeesTheGrantedAddressAndTheOwnerSeesNothingOfMembersMail() throws Exception {
		var carol = mailbox("carol");
		var sales = shared("sales", Map.of(carol.id(), "reply"));
		String guest = "guest-" + UUID.randomUUID() + "@outside.example";
		api.signUpVerified(guest, PW, "Guest");
		var invite = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + sales.id() + "/access-invites",
				Map.of("permission", "read_only", "send_email", false));
		assertThat(invite.status()).as(invite.raw().body()).isEqualTo(201);
		String link = invite.text("link");
		var accepted = api.basic("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				guest, PW, Map.of());
		assertThat(accepted.status()).as(accepted.raw().body()).isBetween(200, 201);
		MailPlane.deliver(sales.address(), "Order 42");

		WebSession guests = WebSession.signIn("http://localhost:" + port, guest, PW);
		HttpResponse<String> mail = guests.get("/mail");
		assertThat(mail.headers().firstValue("Location").orElseThrow()).endsWith("/mail/" + sales.id());
		await().atMost(DELIVERY).until(() -> guests.get("/mail/" + sales.id()).body().contains("Order 42"));
		assertThat(Jsoup.parse(guests.get("/mail/" + sales.id()).body()).select("#mail-banner").text())
			.contains(sales.address()).contains("read-only");

		// the organization's owner manages these mailboxes but opens none of them
		WebSession owner = WebSession.signIn("http://localhost:" + port, tenant.ownerEmail(), TestApi.PASSWORD);
		assertThat(owner.get("/mail").statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(owner.get("/mail").body()).select("#mail-nothing")).hasSize(1);
		for (String id : List.of(carol.id(), sales.id())) {
			assertThat(owner.get("/mail/" + id).statusCode()).isEqualTo(404);
			assertThat(owner.get("/mail/" + id + "/messages/1").statusCode()).isEqualTo(404);
		}
		assertThat(Jsoup.parse(owner.get("/dashboard").body()).select("#nav-mail")).isEmpty();
	}

	@Test
	void pagesThroughTenThousandMessagesNewestFirstAndSearchesOnTheServer() throws Exception {
		var frank = mailbox("frank");
		int total = 10_000;
		try (Store store = MailPlane.imap(frank.address(), PW)) {
			Folder inbox = store.getFolder("INBOX");
			inbox.open(Folder.READ_WRITE);
			Session session = Session.getInstance(new Properties());
			for (int batch = 0; batch < total / 1000; batch++) {
				Message[] messages = new Message[1000];
				for (int i = 0; i < messages.length; i++) {
					int n = batch * 1000 + i + 1;
					MimeMessage m = new MimeMessage(session);
					m.setFrom(new InternetAddress("sender" + (n % 7) + "@outside.example"));
					m.setRecipient(Message.RecipientType.TO, new InternetAddress(frank.address()));
					m.setSubject("Message " + n);
					m.setSentDate(java.util.Date.from(java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * n)));
					m.setText("Body of message " + n + (n == 4242 ? " with the needle" : ""));
					messages[i] = m;
				}
				inbox.appendMessages(messages);
			}
			inbox.close(false);
		}
		WebSession web = WebSession.signIn("http://localhost:" + port, frank.address(), PW);
		String path = "/mail/" + frank.id();

		Document first = Jsoup.parse(web.get(path).body());
		assertThat(first.select("#mail-count").text()).isEqualTo(total + " messages");
		assertThat(first.select("#pager").text()).contains("Page 1 of 200");
		assertThat(first.select("#message-list td.mail-subject a").eachText()).hasSize(50)
			.startsWith("Unread: Message 10000", "Unread: Message 9999")
			.endsWith("Unread: Message 9951");
		Document last = Jsoup.parse(web.get(path + "?page=200").body());
		assertThat(last.select("#message-list td.mail-subject a").eachText()).hasSize(50)
			.startsWith("Unread: Message 50")
			.endsWith("Unread: Message 1");
		assertThat(Jsoup.parse(web.get(path + "?page=123").body()).select("#message-list td.mail-subject a").eachText())
			.startsWith("Unread: Message " + (total - 122 * 50));
		// beyond the end: the last page, not an error
		assertThat(Jsoup.parse(web.get(path + "?page=99999").body()).select("#pager").text()).contains("Page 200 of 200");

		// IMAP SEARCH: subject, body, sender, dates; paged like the folder
		assertThat(Jsoup.parse(web.get(path + "?body=needle").body()).select("#message-list td.mail-subject a").eachText())
			.containsExactly("Unread: Message 4242");
		long fromSender3 = java.util.stream.IntStream.rangeClosed(1, total).filter(n -> n % 7 == 3).count();
		Document bySender = Jsoup.parse(web.get(path + "?from=sender3%40outside.example").body());
		assertThat(bySender.select("#mail-count").text()).isEqualTo(fromSender3 + " found");
		assertThat(bySender.select("#message-list td.mail-from").eachText()).hasSize(50)
			.allMatch(f -> f.equals("sender3@outside.example"));
		assertThat(Jsoup.parse(web.get(path + "?subject=Message+777&from=sender0").body())
			.select("#message-list td.mail-subject a")
			.eachText()).containsExactly("Unread: Message 7777", "Unread: Message 7770", "Unread: Message 777");
		assertThat(Jsoup.parse(web.get(path + "?subject=nothing+like+this").body()).select("#mail-empty").text())
			.contains("No message matches");
		assertThat(web.get(path + "?since=not-a-date").statusCode()).isEqualTo(400);
	}

	@Test
	void anHtmlMessageIsServedSanitisedUnderItsOwnPolicyAndAttachmentsOnlyDownload() throws Exception {
		var gina = mailbox("gina");
		MailPlane.deliver(gina.address(), m -> {
			MimeMultipart mixed = new MimeMultipart("mixed");
			MimeBodyPart html = new MimeBodyPart();
			html.setContent("<p id=x onclick=\"alert(1)\">Report attached</p><script>alert(2)</script>"
					+ "<img src=\"https://tracker.example/open.png\">", "text/html; charset=utf-8");
			mixed.addBodyPart(html);
			MimeBodyPart file = new MimeBodyPart();
			file.setContent("<html><script>alert(3)</script></html>", "text/html; charset=utf-8");
			file.setFileName("../report.html");
			file.setDisposition(jakarta.mail.Part.ATTACHMENT);
			mixed.addBodyPart(file);
			m.setSubject("Quarterly report");
			m.setContent(mixed);
		});
		WebSession web = WebSession.signIn("http://localhost:" + port, gina.address(), PW);
		String inbox = "/mail/" + gina.id();
		await().atMost(DELIVERY).until(() -> web.get(inbox).body().contains("Quarterly report"));
		Document list = Jsoup.parse(web.get(inbox).body());
		assertThat(list.select("#message-list .mail-mark[title=Has attachments]")).hasSize(1);
		Document message = Jsoup.parse(web.get(list.select("#message-list td.mail-subject a").attr("href")).body());
		assertThat(message.select("#remote-blocked").text()).contains("Show images");
		String frame = message.select("#message-body").attr("src");
		assertThat(message.select("#message-body").attr("sandbox")).isEqualTo("allow-popups allow-popups-to-escape-sandbox");

		HttpResponse<String> body = web.get(frame);
		assertThat(body.statusCode()).isEqualTo(200);
		assertThat(body.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'")
			.contains("sandbox")
			.contains("img-src data:;")
			.doesNotContain("script-src");
		assertThat(body.headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
		assertThat(web.get(inbox).headers().allValues("X-Frame-Options")).as("every other page").containsExactly("DENY");
		assertThat(body.body()).contains("Report attached").doesNotContain("<script").doesNotContain("onclick")
			.doesNotContain("tracker.example");

		String download = message.select(".attachment-link").attr("href");
		assertThat(message.select(".attachment-link").text()).isEqualTo("report.html");
		HttpResponse<String> file = web.get(download);
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
			.contains("report.html")
			.doesNotContain("..");
		assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/octet-stream");
	}

	// ---- helpers ----

	private MailTenant.Box mailbox(String localPart) {
		return organization.mailbox(localPart);
	}

	private MailTenant.Box shared(String localPart, Map<String, String> members) {
		return organization.shared(localPart, members);
	}

	private UUID userOf(String email) {
		return jdbc.sql("select id from mailroom.users where email = ?").param(email).query(UUID.class).single();
	}
}
