package dev.mailroom.webmail;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.WebSession;
import dev.mailroom.identity.RateLimits;
import dev.mailroom.mailplane.MailPlane;
import dev.mailroom.mailplane.MailPlaneTest;
import dev.mailroom.mailplane.MailTenant;
import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writing mail end to end: the app submits through the real Postfix with the web session's
 * credential, so Postfix's sender-login map decides send-as; recipients read what arrived over
 * IMAP with their own passwords.
 */
@MailPlaneTest
class WebmailComposeE2E {

	private static final String PW = MailTenant.PASSWORD;
	private static final Duration DELIVERY = Duration.ofSeconds(20);

	private final int port;
	private final MailroomSettings settings;
	private final RateLimits rateLimits;
	private final JdbcClient jdbc;

	MailTenant organization;

	@Autowired
	WebmailComposeE2E(@LocalServerPort int port, MailroomSettings settings, RateLimits rateLimits, JdbcClient jdbc) {
		this.port = port;
		this.settings = settings;
		this.rateLimits = rateLimits;
		this.jdbc = jdbc;
	}

	@BeforeEach
	void setUp() throws Exception {
		MailPlane.ensureStarted(settings);
		organization = MailTenant.create(port, "pro", "wc");
	}

	@Test
	void aReplyArrivesThreadedFromThePersonsAddressAndItsCopyIsInSent() throws Exception {
		var alice = organization.mailbox("alice");
		var bob = organization.mailbox("bob");
		MailPlane.deliver(alice.address(), m -> {
			m.setFrom(new InternetAddress(bob.address()));
			m.setSubject("Lunch on Friday?");
			m.setText("Shall we meet at noon?\nBob");
		});
		String originalId = await().atMost(DELIVERY).until(() -> messageIdOf(alice.address(), "Lunch on Friday?"), id -> id != null);
		long uid = uidOf(alice.address(), "INBOX", "Lunch on Friday?");

		WebSession web = WebSession.signIn(base(), alice.address(), PW);
		String replyPage = "/mail/" + alice.id() + "/compose?mode=reply&reply=" + uid + "&folder=INBOX";
		Document form = Jsoup.parse(web.get(replyPage).body());
		assertThat(form.select("#compose-from").text()).isEqualTo(alice.address());
		assertThat(form.select("#compose-to").val()).isEqualTo(bob.address());
		assertThat(form.select("#compose-subject").val()).isEqualTo("Re: Lunch on Friday?");
		assertThat(form.select("#compose-text").val()).contains("> Shall we meet at noon?");
		assertThat(form.select("input[name=in_reply_to]").val()).isEqualTo(originalId);

		// everything the application logs while she writes, at every level: nothing of the message may be in it
		var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
		logged.start();
		root.addAppender(logged);
		HttpResponse<String> sent;
		try {
			sent = web.post("/mail/" + alice.id() + "/compose", fields(form, Map.of("text",
					"Noon works.\n\n" + form.select("#compose-text").val())), replyPage);
			web.post("/mail/" + alice.id() + "/drafts", Map.of("to", bob.address(), "subject", "Lunch draft",
					"text", "Noon works, draft"), replyPage);
			org.slf4j.LoggerFactory.getLogger(Composer.class).warn("canary: the appender sees the webmail module's lines");
		}
		finally {
			root.detachAppender(logged);
		}
		assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
			.contains("canary: the appender sees the webmail module's lines")
			.noneMatch(line -> line.contains("Lunch") || line.contains("Noon works") || line.contains(bob.address()));
		assertThat(sent.statusCode()).isEqualTo(302);
		assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("/mail/" + alice.id() + "?folder=INBOX");

		Message arrived = await().atMost(DELIVERY).until(() -> find(bob.address(), "INBOX", "Re: Lunch on Friday?"),
				m -> m != null);
		assertThat(arrived.getFrom()).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(alice.address());
		assertThat(arrived.getHeader("In-Reply-To")).containsExactly(originalId);
		assertThat(arrived.getHeader("References")[0]).contains(originalId);
		assertThat(String.valueOf(arrived.getContent())).startsWith("Noon works.").contains("> Shall we meet at noon?");
		// the copy in Sent, read; the original marked answered
		Message copy = find(alice.address(), "Sent", "Re: Lunch on Friday?");
		assertThat(copy).isNotNull();
		assertThat(copy.isSet(jakarta.mail.Flags.Flag.SEEN)).isTrue();
		assertThat(find(alice.address(), "INBOX", "Lunch on Friday?").isSet(jakarta.mail.Flags.Flag.ANSWERED)).isTrue();
	}

	@Test
	void aReplyMemberWritesAsTheSharedAddressAndAReadOnlyMemberIsRefusedByPostfix() throws Exception {
		var alice = organization.mailbox("alice");
		var bob = organization.mailbox("bob");
		var carol = organization.mailbox("carol");
		var support = organization.shared("support", Map.of(alice.id(), "reply", bob.id(), "read_only"));
		MailPlane.deliver(support.address(), m -> {
			m.setFrom(new InternetAddress(carol.address()));
			m.setSubject("My order is late");
			m.setText("Where is order 42?");
		});
		await().atMost(DELIVERY).until(() -> messageIdOf(support.address() + "*" + alice.address(), "My order is late") != null);
		long uid = uidOf(support.address() + "*" + alice.address(), "INBOX", "My order is late");

		// alice, a reply member, answers from her own session: carol sees only support@
		WebSession alices = WebSession.signIn(base(), alice.address(), PW);
		String replyPage = "/mail/" + support.id() + "/compose?mode=reply&reply=" + uid;
		Document form = Jsoup.parse(alices.get(replyPage).body());
		assertThat(form.select("#compose-from").text()).isEqualTo(support.address());
		assertThat(alices.post("/mail/" + support.id() + "/compose", fields(form, Map.of("text", "It ships today.")), replyPage)
			.statusCode()).isEqualTo(302);
		Message arrived = await().atMost(DELIVERY).until(() -> find(carol.address(), "INBOX", "Re: My order is late"),
				m -> m != null);
		assertThat(arrived.getFrom()).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(support.address());
		assertThat(String.join(" ", arrived.getHeader("Received"))).doesNotContain(alice.address());
		assertThat(find(support.address() + "*" + alice.address(), "Sent", "Re: My order is late")).isNotNull();

		// bob, read-only: no Write, no Reply, the form refused; a forged send is refused by Postfix
		WebSession bobs = WebSession.signIn(base(), bob.address(), PW);
		Document inbox = Jsoup.parse(bobs.get("/mail/" + support.id()).body());
		assertThat(inbox.select("#mail-write")).isEmpty();
		assertThat(bobs.get(replyPage).statusCode()).isEqualTo(403);
		Map<String, String> forged = Map.of("to", carol.address(), "subject", "Forged by bob", "text", "Not allowed.");
		HttpResponse<String> refused = bobs.post("/mail/" + support.id() + "/compose", forged, "/mail/" + support.id());
		assertThat(refused.statusCode()).isEqualTo(302);
		Document after = Jsoup.parse(bobs.get(refused.headers().firstValue("Location").orElseThrow()
			.replace(base(), "")).body());
		assertThat(after.select(".alert-error").text()).contains("did not let you send as " + support.address())
			.contains("read-only").contains("553");
		Thread.sleep(2000);
		assertThat(find(carol.address(), "INBOX", "Forged by bob")).isNull();
		assertThat(find(support.address() + "*" + alice.address(), "Sent", "Forged by bob")).isNull();
		// and a forged draft: Dovecot refuses the APPEND
		HttpResponse<String> draft = bobs.post("/mail/" + support.id() + "/compose",
				Map.of("action", "save", "to", carol.address(), "subject", "Forged draft", "text", "x"), "/mail/" + support.id());
		assertThat(Jsoup.parse(bobs.get(draft.headers().firstValue("Location").orElseThrow().replace(base(), "")).body())
			.select(".alert-error")
			.text()).contains("read-only access to " + support.address());
		assertThat(find(support.address() + "*" + alice.address(), "Drafts", "Forged draft")).isNull();
	}

	@Test
	void aGuestWithAReplyGrantWritesAsTheGrantedAddressWithoutAMailboxOfTheirOwn() throws Exception {
		var carol = organization.mailbox("carol");
		var sales = organization.shared("sales", Map.of(carol.id(), "reply"));
		String guest = "guest-" + UUID.randomUUID() + "@outside.example";
		organization.api.signUpVerified(guest, PW, "Guest");
		var invite = organization.api.bearer(organization.tenant.apiKey(), "POST",
				"/api/v1/mailboxes/" + sales.id() + "/access-invites", Map.of("permission", "reply", "send_email", false));
		assertThat(invite.status()).as(invite.raw().body()).isEqualTo(201);
		String link = invite.text("link");
		assertThat(organization.api.basic("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				guest, PW, Map.of()).status()).isBetween(200, 201);

		WebSession guests = WebSession.signIn(base(), guest, PW);
		String page = "/mail/" + sales.id() + "/compose";
		assertThat(Jsoup.parse(guests.get(page).body()).select("#compose-from").text()).isEqualTo(sales.address());
		assertThat(guests.post(page, Map.of("to", carol.address(), "subject", "From the guest", "text", "Hello."), page)
			.headers()
			.firstValue("Location")
			.orElseThrow()).endsWith("?folder=INBOX");
		Message arrived = await().atMost(DELIVERY).until(() -> find(carol.address(), "INBOX", "From the guest"), m -> m != null);
		assertThat(arrived.getFrom()).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(sales.address());
		assertThat(find(sales.address() + "*" + carol.address(), "Sent", "From the guest")).isNotNull();
	}

	@Test
	void anAttachmentArrivesByteForByteAndAForwardCarriesIt() throws Exception {
		var alice = organization.mailbox("alice");
		var bob = organization.mailbox("bob");
		byte[] bytes = new byte[300_000];
		new java.util.Random(7).nextBytes(bytes);
		WebSession web = WebSession.signIn(base(), alice.address(), PW);
		String page = "/mail/" + alice.id() + "/compose";
		assertThat(Jsoup.parse(web.get(page).body()).select("#compose-attachments-hint").text()).matches("Up to \\d+ MB in total.*");
		HttpResponse<String> sent = web.postFile(page, Map.of("to", bob.address(), "subject", "The report", "text", "Attached."),
				"attachments", "report.bin", bytes, page);
		assertThat(sent.statusCode()).isEqualTo(302);
		Message arrived = await().atMost(DELIVERY).until(() -> find(bob.address(), "INBOX", "The report"), m -> m != null);
		Multipart parts = (Multipart) arrived.getContent();
		Part attachment = parts.getBodyPart(1);
		assertThat(attachment.getFileName()).isEqualTo("report.bin");
		assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(bytes);

		// bob forwards it back: the attachment goes along, unchanged
		WebSession bobs = WebSession.signIn(base(), bob.address(), PW);
		String forwardPage = "/mail/" + bob.id() + "/compose?mode=forward&reply=" + uidOf(bob.address(), "INBOX", "The report")
				+ "&folder=INBOX";
		Document form = Jsoup.parse(bobs.get(forwardPage).body());
		assertThat(form.select("#compose-subject").val()).isEqualTo("Fwd: The report");
		assertThat(form.select("#compose-attachments-hint").text()).contains("The forwarded message’s attachments go with it");
		assertThat(bobs.post("/mail/" + bob.id() + "/compose", fields(form, Map.of("to", alice.address())), forwardPage)
			.statusCode()).isEqualTo(302);
		Message forwarded = await().atMost(DELIVERY).until(() -> find(alice.address(), "INBOX", "Fwd: The report"),
				m -> m != null);
		Part carried = ((Multipart) forwarded.getContent()).getBodyPart(1);
		assertThat(carried.getFileName()).isEqualTo("report.bin");
		assertThat(carried.getInputStream().readAllBytes()).isEqualTo(bytes);
		assertThat(String.valueOf(((Multipart) forwarded.getContent()).getBodyPart(0).getContent()))
			.contains("---------- Forwarded message ----------").contains("Attached.");
	}

	@Test
	void aDraftIsSavedReplacedAndOpenedAgain() throws Exception {
		var alice = organization.mailbox("alice");
		WebSession web = WebSession.signIn(base(), alice.address(), PW);
		String page = "/mail/" + alice.id() + "/compose";
		HttpResponse<String> saved = web.post(page, Map.of("action", "save", "to", "someone@exam", "subject", "Half written",
				"text", "First thoughts"), page);
		String location = saved.headers().firstValue("Location").orElseThrow();
		assertThat(location).contains("/compose?draft=");
		String draftUid = location.substring(location.indexOf("draft=") + 6);
		Document reopened = Jsoup.parse(web.get(page + "?draft=" + draftUid).body());
		assertThat(reopened.select("#compose-to").val()).isEqualTo("someone@exam");
		assertThat(reopened.select("#compose-subject").val()).isEqualTo("Half written");
		assertThat(reopened.select("#compose-text").val()).isEqualTo("First thoughts");

		// the autosave replaces it: one draft in Drafts, with the newer text
		Map<String, String> newer = new LinkedHashMap<>(Map.of("to", "someone@example.com", "subject", "Half written",
				"text", "Second thoughts", "draft_uid", draftUid));
		HttpResponse<String> autosaved = web.post("/mail/" + alice.id() + "/drafts", newer, page);
		assertThat(autosaved.statusCode()).isEqualTo(200);
		assertThat(autosaved.body()).contains("Draft saved at");
		assertThat(autosaved.headers().firstValue("HX-Replace-Url").orElseThrow()).contains("/compose?draft=");
		assertThat(subjects(alice.address(), "Drafts")).containsExactly("Half written");
		assertThat(String.valueOf(find(alice.address(), "Drafts", "Half written").getContent())).contains("Second thoughts");

		// sending it removes the draft
		String newUid = Jsoup.parse(autosaved.body()).select("#draft-uid").val();
		newer.put("draft_uid", newUid);
		assertThat(web.post(page, newer, page).statusCode()).isEqualTo(302);
		assertThat(subjects(alice.address(), "Drafts")).isEmpty();
	}

	@Test
	void sendingIsLimitedByRecipientsPerHourAndSaysWhenToRetry() throws Exception {
		var alice = organization.mailbox("alice");
		var bob = organization.mailbox("bob");
		UUID aliceUser = jdbc.sql("select id from mailroom.users where email = ?").param(alice.address()).query(UUID.class).single();
		assertThat(rateLimits.tryConsume(Composer.SEND_RECIPIENTS, aliceUser.toString(), 199)).isZero();
		WebSession web = WebSession.signIn(base(), alice.address(), PW);
		String page = "/mail/" + alice.id() + "/compose";
		HttpResponse<String> refused = web.post(page, Map.of("to", bob.address() + ", " + bob.address().replace("bob", "postmaster"),
				"subject", "Two recipients", "text", "x"), page);
		Document after = Jsoup.parse(web.get(refused.headers().firstValue("Location").orElseThrow().replace(base(), "")).body());
		assertThat(after.select(".alert-error").text()).contains("You have reached your sending limit for this hour")
			.containsPattern("send again in \\d+ minute");
		// the form comes back as it was typed
		assertThat(after.select("#compose-subject").val()).isEqualTo("Two recipients");
		// one recipient is still within the hour's allowance
		assertThat(web.post(page, Map.of("to", bob.address(), "subject", "One recipient", "text", "x"), page)
			.headers()
			.firstValue("Location")
			.orElseThrow()).endsWith("?folder=INBOX");
		await().atMost(DELIVERY).until(() -> find(bob.address(), "INBOX", "One recipient") != null);
		assertThat(find(bob.address(), "INBOX", "Two recipients")).isNull();
	}

	@Test
	void badAddressesAreNamedAndNothingIsSent() throws Exception {
		var alice = organization.mailbox("alice");
		WebSession web = WebSession.signIn(base(), alice.address(), PW);
		String page = "/mail/" + alice.id() + "/compose";
		HttpResponse<String> refused = web.post(page, Map.of("to", "friend@example.com, not an address", "subject", "Hi",
				"text", "x"), page);
		Document after = Jsoup.parse(web.get(refused.headers().firstValue("Location").orElseThrow().replace(base(), "")).body());
		assertThat(after.select("#to-error").text()).isEqualTo("“not an address” is not an email address");
		assertThat(after.select("#compose-to").val()).isEqualTo("friend@example.com, not an address");
		assertThat(subjects(alice.address(), "Sent")).isEmpty();
	}

	// ---- helpers ----

	private String base() {
		return "http://localhost:" + port;
	}

	/** The compose form's fields as the browser would send them, with some replaced. */
	private static Map<String, String> fields(Document form, Map<String, String> replaced) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (var input : form.select("#compose-form input[name], #compose-form textarea[name]")) {
			if (!input.attr("type").equals("file") && !input.attr("name").equals("_csrf")) {
				fields.put(input.attr("name"), input.tagName().equals("textarea") ? input.val() : input.attr("value"));
			}
		}
		fields.putAll(replaced);
		return fields;
	}

	private static String messageIdOf(String login, String subject) throws Exception {
		Message message = find(login, "INBOX", subject);
		return message == null ? null : message.getHeader("Message-ID")[0];
	}

	private static long uidOf(String login, String folder, String subject) throws Exception {
		try (Store store = MailPlane.imap(login, PW)) {
			var f = (org.eclipse.angus.mail.imap.IMAPFolder) store.getFolder(folder);
			f.open(Folder.READ_ONLY);
			for (Message message : f.getMessages()) {
				if (subject.equals(message.getSubject())) {
					return f.getUID(message);
				}
			}
		}
		throw new AssertionError("no message " + subject);
	}

	/** The message with this subject in a folder, fetched whole, or null. */
	private static Message find(String login, String folder, String subject) throws Exception {
		try (Store store = MailPlane.imap(login, PW)) {
			Folder f = store.getFolder(folder);
			if (!f.exists()) {
				return null;
			}
			f.open(Folder.READ_ONLY);
			for (Message message : f.getMessages()) {
				if (subject.equals(message.getSubject())) {
					return new jakarta.mail.internet.MimeMessage((jakarta.mail.internet.MimeMessage) message);
				}
			}
			return null;
		}
	}

	private static List<String> subjects(String login, String folder) throws Exception {
		try (Store store = MailPlane.imap(login, PW)) {
			Folder f = store.getFolder(folder);
			f.open(Folder.READ_ONLY);
			List<String> subjects = new java.util.ArrayList<>();
			for (Message message : f.getMessages()) {
				subjects.add(message.getSubject());
			}
			return subjects;
		}
	}
}
