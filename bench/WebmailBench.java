import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Mail page of webmail against the real Dovecot of {@code scripts/mailplane} (on ports of its
 * own, 13xxx), as a person signed in with the web form: a regular mailbox whose INBOX holds 10,000
 * messages (one of them a ~100 KB table-heavy HTML newsletter) and a shared mailbox with a few
 * hundred, of which the person is a member. The mail is put in with IMAP APPEND (Angus's
 * appendMessages, 500 messages a call, one APPEND each), not delivered. Measured after a warm-up,
 * one request at a time, the four in turn in each round:
 * <ol>
 * <li>the inbox's first page, {@code GET /mail/{id}};</li>
 * <li>the newsletter's page and its sanitised body ({@code …/messages/{uid}} and {@code …/body});</li>
 * <li>the shared mailbox's first page, {@code GET /mail/{sharedId}};</li>
 * <li>the oldest page of the inbox, {@code GET /mail/{id}?page=200}.</li>
 * </ol>
 * Baseline in the same rounds: a bare Angus Mail client, already logged in (as the app's pooled
 * store is), opening INBOX read-only, fetching ENVELOPE, FLAGS, UID and CONTENT_INFO of the newest
 * 50 messages and closing it: what (1) cannot do without. For reference, the same client sending
 * every IMAP command (1) sends. Every answer must be 200, and each page must show what it should. The mail plane is stopped even when the benchmark fails; its dir and the data dir
 * are deleted at the end. Needs root, Debian's Postfix and Dovecot (scripts/mailplane installs what
 * is missing) and target/mailroom.jar. Run with {@code bench/run WebmailBench [iterations]}.
 */
public class WebmailBench {

	static final String PASSWORD = "Bench-webmail-Pw-4711";
	static final String HOST = "127.0.0.1";
	static final int IMAP_PORT = 13143;
	static final int SUBMISSION_PORT = 13587;
	static final int PORT_BASE = 13024;
	static final int DOVEADM_PORT = PORT_BASE + 5;
	static final int INBOX_MESSAGES = 10_000;
	static final int SHARED_MESSAGES = 300;
	static final int APPEND_BATCH = 500;
	/** Where in the inbox the newsletter goes: on the first page, as a recent message would be. */
	static final int NEWSLETTER_AT = INBOX_MESSAGES - 10;
	static final int PAGE_SIZE = 50;
	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	static final double TARGET_INBOX_P95 = 150;
	static final double TARGET_BODY_P95 = 100;
	static final double TARGET_SHARED_P95 = 200;
	static final double TARGET_RATIO = 2;

	public static void main(String[] args) {
		BenchSupport.exitAfter(() -> run(args));
	}

	static void run(String[] args) throws Exception {
		int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
		if (!Files.exists(Path.of("target/mailroom.jar"))) {
			throw new IllegalStateException("target/mailroom.jar is missing: ./mvnw -q -B -ntp -DskipTests package");
		}
		Path dataDirToDelete = null;
		try (ConfigurableApplicationContext app = BenchSupport.start("--mailroom.webmail.imap-host=" + HOST,
				"--mailroom.webmail.imap-port=" + IMAP_PORT, "--mailroom.webmail.smtp-port=" + SUBMISSION_PORT,
				"--mailroom.mailplane.doveadm-url=http://" + HOST + ":" + DOVEADM_PORT,
				// the writing part signs in 50 people from this one address
				"--mailroom.rate-limits.signin-client=1000")) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			Path dataDir = Path.of(app.getEnvironment().getRequiredProperty("mailroom.data-dir")).toAbsolutePath();
			dataDirToDelete = dataDir;
			var reader = BenchSupport.call(tenant.base(), "POST", "/api/v1/mailboxes", tenant.key(),
					"{\"domain_id\":\"" + tenant.domainId() + "\",\"local_part\":\"reader\",\"password\":\"" + PASSWORD + "\"}")
				.get("mailbox");
			String readerId = reader.get("id").asString();
			String readerAddress = reader.get("address").asString();
			var shared = BenchSupport.call(tenant.base(), "POST", "/api/v1/shared-mailboxes", tenant.key(),
					"{\"domain_id\":\"" + tenant.domainId() + "\",\"local_part\":\"support\",\"members\":[{\"mailbox_id\":\""
							+ readerId + "\",\"permission\":\"reply\"}]}");
			String sharedId = shared.get("id").asString();
			String sharedAddress = shared.get("address").asString();
			System.out.printf("Mailbox %s (%s), shared mailbox %s (%s) with it as a reply member%n", readerAddress, readerId,
					sharedAddress, sharedId);

			Path mailplaneDir = Files.createTempDirectory("webmail-bench-mailplane");
			Map<String, String> env = new LinkedHashMap<>();
			env.put("MAILROOM_DATA_DIR", dataDir.toString());
			env.put("MAILPLANE_DIR", mailplaneDir.toString());
			env.put("MAILPLANE_IMAP_PORT", Integer.toString(IMAP_PORT));
			env.put("MAILPLANE_SMTP_PORT", "13025");
			env.put("MAILPLANE_SUBMISSION_PORT", Integer.toString(SUBMISSION_PORT));
			env.put("MAILPLANE_PORT_BASE", Integer.toString(PORT_BASE));
			env.put("MAILROOM_JAR", "target/mailroom.jar");
			try {
				MailplaneBench.mailplane("start", env, mailplaneDir);
				try {
					measure(tenant.base(), readerId, readerAddress, sharedId, sharedAddress, iterations);
					WebmailWritingBench.measure(tenant, readerId, readerAddress, sharedId, sharedAddress, iterations);
					MailplaneBench.dovecotComplaints(mailplaneDir);
				}
				catch (Exception e) {
					Path log = mailplaneDir.resolve("log/dovecot.log");
					if (Files.exists(log)) {
						System.out.println("Last lines of " + log + ":");
						List<String> lines = Files.readAllLines(log);
						lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> System.out.println("  " + l));
					}
					throw e;
				}
				finally {
					MailplaneBench.mailplane("stop", env, mailplaneDir);
				}
			}
			finally {
				MailplaneBench.deleteQuietly(mailplaneDir);
			}
		}
		finally {
			if (dataDirToDelete != null) {
				MailplaneBench.deleteQuietly(dataDirToDelete);
			}
		}
	}

	static void measure(String base, String readerId, String readerAddress, String sharedId, String sharedAddress,
			int iterations) throws Exception {
		Session mail = Session.getInstance(imapProperties());
		long fillStart = System.nanoTime();
		long newsletterUid;
		int newsletterBytes;
		try (IMAPStore store = (IMAPStore) mail.getStore("imap")) {
			store.connect(HOST, IMAP_PORT, readerAddress, PASSWORD);
			MimeMessage newsletter = newsletter(mail, readerAddress);
			newsletterBytes = size(newsletter);
			newsletterUid = fill(store, INBOX_MESSAGES, i -> i == NEWSLETTER_AT ? newsletter : plain(mail, readerAddress, i))[NEWSLETTER_AT];
		}
		try (IMAPStore store = (IMAPStore) mail.getStore("imap")) {
			// Dovecot's master-user form: the shared mailbox, as its member, with the member's password
			store.connect(HOST, IMAP_PORT, sharedAddress + "*" + readerAddress, PASSWORD);
			fill(store, SHARED_MESSAGES, i -> plain(mail, sharedAddress, i));
		}
		System.out.printf("APPENDed %,d messages to %s's INBOX (%d a call; the newsletter, %,d bytes, is UID %d) "
				+ "and %d to %s in %.1f s%n", INBOX_MESSAGES, readerAddress, APPEND_BATCH, newsletterBytes, newsletterUid,
				SHARED_MESSAGES, sharedAddress, (System.nanoTime() - fillStart) / 1e9);

		Web web = Web.signIn(base, readerAddress, PASSWORD);
		String inbox = "/mail/" + readerId;
		String message = inbox + "/messages/" + newsletterUid + "?folder=INBOX";
		String body = inbox + "/messages/" + newsletterUid + "/body?folder=INBOX";
		String sharedInbox = "/mail/" + sharedId;
		String oldest = inbox + "?page=" + (INBOX_MESSAGES / PAGE_SIZE);
		// a signed-in page that asks Dovecot nothing: what any page costs (session, security, layout)
		String account = "/account";
		// what each page must show: the pages are 200, and they are the right pages
		Map<String, String> expected = Map.of(inbox, subject(INBOX_MESSAGES - 1), message, "Weekly digest",
				body, "<table", sharedInbox, subject(SHARED_MESSAGES - 1), oldest, subject(0), account, readerAddress);

		try (IMAPStore store = (IMAPStore) mail.getStore("imap"); IMAPStore sharedStore = (IMAPStore) mail.getStore("imap")) {
			store.connect(HOST, IMAP_PORT, readerAddress, PASSWORD);
			sharedStore.connect(HOST, IMAP_PORT, sharedAddress + "*" + readerAddress, PASSWORD);
			String load = loadAverage();
			// warm-up: the JIT, the app's IMAP connections (one login each), Dovecot's caches
			int warmUp = Math.max(10, iterations / 5);
			for (int i = 0; i < warmUp; i++) {
				baseline(store);
				pageImap(store, sharedStore);
				sanitize(newsletterHtml());
				for (String path : List.of(inbox, message, body, sharedInbox, oldest, account)) {
					web.get(path, expected.get(path));
				}
			}

			long[] bare = new long[iterations];
			long[] pageImap = new long[iterations];
			long[] first = new long[iterations];
			long[] messagePage = new long[iterations];
			long[] bodyPage = new long[iterations];
			long[] both = new long[iterations];
			long[] sharedPage = new long[iterations];
			long[] oldestPage = new long[iterations];
			long[] sanitizing = new long[iterations];
			long[] accountPage = new long[iterations];
			String newsletterHtml = newsletterHtml();
			// round robin, so that whatever else the shared machine does weighs on every figure alike
			for (int i = 0; i < iterations; i++) {
				bare[i] = baseline(store);
				pageImap[i] = pageImap(store, sharedStore);
				first[i] = web.get(inbox, expected.get(inbox));
				messagePage[i] = web.get(message, expected.get(message));
				bodyPage[i] = web.get(body, expected.get(body));
				both[i] = messagePage[i] + bodyPage[i];
				sharedPage[i] = web.get(sharedInbox, expected.get(sharedInbox));
				oldestPage[i] = web.get(oldest, expected.get(oldest));
				sanitizing[i] = sanitize(newsletterHtml);
				accountPage[i] = web.get(account, expected.get(account));
			}
			String loadAfter = loadAverage();

			System.out.println();
			System.out.printf("=== Webmail: %,d messages in the INBOX, %d in the shared mailbox; %d iterations after %d warm-up rounds ===%n",
					INBOX_MESSAGES, SHARED_MESSAGES, iterations, warmUp);
			System.out.printf("Figures from a SHARED %d-core machine (other work may run beside): load average %s before, %s after%n",
					Runtime.getRuntime().availableProcessors(), load, loadAfter);
			BenchSupport.report("baseline: Angus SELECT + FETCH newest 50 + CLOSE", bare);
			BenchSupport.report("for reference: the same IMAP commands the page sends", pageImap);
			BenchSupport.report("for reference: GET /account (signed in, no IMAP)", accountPage);
			BenchSupport.report("1. GET /mail/{id} (inbox, page 1)", first);
			System.out.printf("%-55s target p95 < %.0f ms; ratio p50 %.1f×, p95 %.1f× the baseline (target ≤ %.0f×)%n", "",
					TARGET_INBOX_P95, ratio(first, bare, 50), ratio(first, bare, 95), TARGET_RATIO);
			BenchSupport.report("2. GET …/messages/{uid} (100 KB HTML newsletter)", messagePage);
			BenchSupport.report("2. GET …/messages/{uid}/body (sanitised HTML)", bodyPage);
			System.out.printf("%-55s target p95 < %.0f ms for the body%n", "", TARGET_BODY_P95);
			BenchSupport.report("2. message page + body, one after the other", both);
			BenchSupport.report("for reference: MessageHtml.sanitize of it, in this JVM", sanitizing);
			BenchSupport.report("3. GET /mail/{sharedId} (shared mailbox, page 1)", sharedPage);
			System.out.printf("%-55s target p95 < %.0f ms%n", "", TARGET_SHARED_P95);
			BenchSupport.report("4. GET /mail/{id}?page=" + (INBOX_MESSAGES / PAGE_SIZE) + " (the oldest page)", oldestPage);
			System.out.println("Every answer 200, each with the content it should show.");

			List<String> missed = new ArrayList<>();
			check(missed, "inbox p95", BenchSupport.p(first, 95) / 1e6, TARGET_INBOX_P95, " ms");
			check(missed, "body p95", BenchSupport.p(bodyPage, 95) / 1e6, TARGET_BODY_P95, " ms");
			check(missed, "shared p95", BenchSupport.p(sharedPage, 95) / 1e6, TARGET_SHARED_P95, " ms");
			check(missed, "inbox/baseline p95", ratio(first, bare, 95), TARGET_RATIO, "×");
			System.out.println(missed.isEmpty() ? "Verdict: every target met"
					: "Verdict: " + missed.size() + " of 4 targets missed: " + String.join("; ", missed));
		}
	}

	static void check(List<String> missed, String what, double value, double target, String unit) {
		boolean met = unit.equals("×") ? value <= target : value < target;
		if (!met) {
			missed.add(String.format("%s %.1f%s (target %s %.0f%s)", what, value, unit, unit.equals("×") ? "≤" : "<", target, unit));
		}
	}

	static double ratio(long[] a, long[] b, int percentile) {
		return BenchSupport.p(a, percentile) / BenchSupport.p(b, percentile);
	}

	static String loadAverage() throws Exception {
		String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return parts[0] + " " + parts[1] + " " + parts[2];
	}

	/** The app's IMAP session settings (ImapConnections), so that the baseline talks to Dovecot alike. */
	static Properties imapProperties() {
		Properties props = new Properties();
		props.put("mail.imap.connectiontimeout", "5000");
		props.put("mail.imap.timeout", "60000");
		props.put("mail.imap.writetimeout", "60000");
		props.put("mail.imap.peek", "true");
		props.put("mail.imap.fetchsize", "1048576");
		props.put("mail.imap.starttls.enable", "true");
		return props;
	}

	/** One round of the baseline on a logged-in store: what the first page of a folder needs from IMAP. */
	static long baseline(IMAPStore store) throws Exception {
		long start = System.nanoTime();
		IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
		folder.open(Folder.READ_ONLY);
		try {
			int total = folder.getMessageCount();
			Message[] newest = folder.getMessages(Math.max(1, total - PAGE_SIZE + 1), total);
			FetchProfile profile = new FetchProfile();
			profile.add(FetchProfile.Item.ENVELOPE);
			profile.add(FetchProfile.Item.FLAGS);
			profile.add(FetchProfile.Item.CONTENT_INFO);
			profile.add(UIDFolder.FetchProfileItem.UID);
			folder.fetch(newest, profile);
			if (newest.length != PAGE_SIZE || !subject(INBOX_MESSAGES - 1).equals(newest[newest.length - 1].getSubject())) {
				throw new IllegalStateException("The baseline did not read the newest " + PAGE_SIZE + " messages");
			}
		}
		finally {
			folder.close(false);
		}
		return System.nanoTime() - start;
	}

	/**
	 * Everything the inbox page asks Dovecot, from Angus on logged-in stores: STATUS of each
	 * mailbox's INBOX (the switcher's unread counts), one LIST "*" RETURN (SPECIAL-USE STATUS
	 * (UNSEEN)) for the folders, then the baseline's SELECT, FETCH and CLOSE. The page minus this
	 * is what the app adds (database lookups, the session, the page's rendering, HTTP).
	 */
	static long pageImap(IMAPStore store, IMAPStore sharedStore) throws Exception {
		long start = System.nanoTime();
		store.getFolder("INBOX").getUnreadMessageCount();
		sharedStore.getFolder("INBOX").getUnreadMessageCount();
		((IMAPFolder) store.getFolder("INBOX")).doCommand(p -> {
			var responses = p.command("LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (UNSEEN))", null);
			p.handleResult(responses[responses.length - 1]);
			return null;
		});
		long took = System.nanoTime() - start;
		return took + baseline(store);
	}

	interface MessageMaker {

		MimeMessage make(int i) throws Exception;
	}

	/** APPENDs {@code count} messages to INBOX, {@value #APPEND_BATCH} a command; returns their UIDs. */
	static long[] fill(IMAPStore store, int count, MessageMaker maker) throws Exception {
		IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
		long[] uids = new long[count];
		for (int from = 0; from < count; from += APPEND_BATCH) {
			int to = Math.min(count, from + APPEND_BATCH);
			Message[] batch = new Message[to - from];
			for (int i = from; i < to; i++) {
				batch[i - from] = maker.make(i);
			}
			AppendUID[] appended = folder.appendUIDMessages(batch);
			for (int i = from; i < to; i++) {
				// Dovecot has UIDPLUS: every APPEND answers with the new message's UID
				if (appended[i - from] == null) {
					throw new IllegalStateException("Dovecot gave no APPENDUID for message " + i);
				}
				uids[i] = appended[i - from].uid;
			}
		}
		folder.open(Folder.READ_ONLY);
		int total = folder.getMessageCount();
		folder.close(false);
		if (total != count) {
			throw new IllegalStateException("The INBOX holds " + total + " messages, not " + count);
		}
		return uids;
	}

	static String subject(int i) {
		return String.format("Bench message %05d", i);
	}

	/** A small everyday message; every 20th with a PDF attachment, every 7th from the same sender. */
	static MimeMessage plain(Session mail, String to, int i) throws Exception {
		MimeMessage m = new MimeMessage(mail);
		m.setFrom(new InternetAddress("sender" + (i % 7 == 0 ? 0 : i % 97) + "@outside.example", "Sender " + (i % 97)));
		m.setRecipients(Message.RecipientType.TO, to);
		m.setSubject(subject(i));
		m.setSentDate(Date.from(Instant.parse("2025-01-01T00:00:00Z").plus(Duration.ofMinutes(30L * i))));
		String text = "Hello,\n\nthis is message " + i + " of the benchmark.\n" + "Some more words to make a body. ".repeat(8)
				+ "\n\nRegards\n";
		if (i % 20 == 0) {
			MimeBodyPart textPart = new MimeBodyPart();
			textPart.setText(text, "utf-8");
			MimeBodyPart attachment = new MimeBodyPart();
			attachment.setContent(("%PDF-1.4 invoice " + i).getBytes(StandardCharsets.US_ASCII), "application/pdf");
			attachment.setFileName("invoice-" + i + ".pdf");
			m.setContent(new MimeMultipart(textPart, attachment));
		}
		else {
			m.setText(text, "utf-8");
		}
		m.saveChanges();
		return m;
	}

	/** A table-heavy newsletter with inline styles and remote images, ~100 KB of HTML, with a text part. */
	static MimeMessage newsletter(Session mail, String to) throws Exception {
		MimeMessage m = new MimeMessage(mail);
		m.setFrom(new InternetAddress("news@shop.example", "Shop newsletter"));
		m.setRecipients(Message.RecipientType.TO, to);
		m.setSubject("Weekly digest: 200 offers");
		m.setSentDate(Date.from(Instant.parse("2025-07-01T08:00:00Z")));
		MimeBodyPart text = new MimeBodyPart();
		text.setText("Weekly digest. Open the HTML version to see the offers.", "utf-8");
		MimeBodyPart htmlPart = new MimeBodyPart();
		htmlPart.setContent(newsletterHtml(), "text/html; charset=utf-8");
		m.setContent(new MimeMultipart("alternative", text, htmlPart));
		m.saveChanges();
		return m;
	}

	static String newsletterHtml() {
		StringBuilder html = new StringBuilder("""
				<html><head><style>td{font-family:Arial,sans-serif}</style></head>
				<body style="margin:0;padding:0;background-color:#f4f4f4">
				<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f4">
				<tr><td align="center" style="padding:20px 0">
				<table width="600" cellpadding="0" cellspacing="0" border="0" style="background-color:#ffffff;border:1px solid #dddddd">
				<tr><td style="padding:24px;font-size:24px;font-weight:bold;color:#333333">Weekly digest</td></tr>
				""");
		for (int row = 0; html.length() < 100_000; row++) {
			html.append("""
					<tr><td style="padding:12px 24px;border-top:1px solid #eeeeee">
					<table width="100%%" cellpadding="0" cellspacing="0" border="0"><tr>
					<td width="120" valign="top" style="padding-right:12px"><a href="https://shop.example/item/%1$d?utm_source=news"><img src="https://cdn.shop.example/img/%1$d.jpg" width="120" height="90" alt="Item %1$d" style="display:block;border:0"></a></td>
					<td valign="top" style="font-size:14px;line-height:20px;color:#555555"><strong style="color:#222222;font-size:16px">Item %1$d — a fine thing</strong><br>
					Only <span style="color:#c0392b;font-weight:bold">%2$d.99 €</span> this week. Lorem ipsum dolor sit amet, consectetur adipiscing elit.<br>
					<a href="https://shop.example/item/%1$d" style="color:#ffffff;background-color:#2a7ae2;padding:6px 12px;text-decoration:none;border-radius:3px;display:inline-block;margin-top:6px">Buy now</a></td>
					</tr></table></td></tr>
					""".formatted(row, 10 + row % 90));
		}
		html.append("""
				<tr><td style="padding:24px;font-size:12px;color:#999999">You get this because you signed up. <a href="https://shop.example/unsubscribe" style="color:#999999">Unsubscribe</a></td></tr>
				</table></td></tr></table></body></html>
				""");
		return html.toString();
	}

	/**
	 * One sanitising of the newsletter's HTML in this JVM, as the message page and its body each do
	 * it: MessageHtml is the webmail module's own (package-private), so it is called reflectively.
	 */
	static long sanitize(String html) throws Exception {
		Class<?> type = Class.forName("dev.mailroom.webmail.MessageHtml");
		var method = type.getDeclaredMethod("sanitize", String.class, boolean.class, java.util.function.Function.class);
		method.setAccessible(true);
		java.util.function.Function<String, String> noCid = cid -> null;
		long start = System.nanoTime();
		Object result = method.invoke(null, html, false, noCid);
		long took = System.nanoTime() - start;
		if (result == null) {
			throw new IllegalStateException("MessageHtml.sanitize gave nothing");
		}
		return took;
	}

	static int size(MimeMessage m) throws Exception {
		var out = new java.io.ByteArrayOutputStream();
		m.writeTo(out);
		return out.size();
	}

	/** A browser's session over plain HTTP: keeps cookies, follows no redirects (as WebSession in the tests). */
	record Web(String base, HttpClient client) {

		static Web signIn(String base, String email, String password) throws Exception {
			Web web = new Web(base, HttpClient.newBuilder()
				.cookieHandler(new CookieManager())
				.followRedirects(HttpClient.Redirect.NEVER)
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(10))
				.build());
			HttpResponse<String> form = web.send(HttpRequest.newBuilder(URI.create(base + "/signin")).GET().build());
			Matcher csrf = CSRF.matcher(form.body());
			if (form.statusCode() != 200 || !csrf.find()) {
				throw new IllegalStateException("GET /signin → " + form.statusCode() + " without a CSRF token");
			}
			String body = Map.of("email", email, "password", password, "_csrf", csrf.group(1))
				.entrySet()
				.stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			HttpResponse<String> signedIn = web.send(HttpRequest.newBuilder(URI.create(base + "/signin"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Referer", base + "/signin")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build());
			String location = signedIn.headers().firstValue("Location").orElse("");
			if (signedIn.statusCode() != 302 || !location.endsWith("/dashboard")) {
				throw new IllegalStateException("POST /signin as " + email + " → " + signedIn.statusCode() + " " + location);
			}
			return web;
		}

		/** The time of one GET that must answer 200 with {@code mustContain} in its body. */
		long get(String path, String mustContain) throws Exception {
			HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
			long start = System.nanoTime();
			HttpResponse<String> response = send(request);
			long took = System.nanoTime() - start;
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + path + " → " + response.statusCode() + " "
						+ response.headers().firstValue("Location").orElse("") + "\n" + abbreviate(response.body()));
			}
			if (!response.body().contains(mustContain)) {
				throw new IllegalStateException("GET " + path + " → 200 without \"" + mustContain + "\":\n" + abbreviate(response.body()));
			}
			return took;
		}

		HttpResponse<String> send(HttpRequest request) throws Exception {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}

		static String abbreviate(String body) {
			return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
		}
	}
}
