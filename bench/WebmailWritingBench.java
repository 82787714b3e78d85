import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Webmail's writing half, run by {@link WebmailBench} on the same app and mail plane after the
 * reading figures:
 * <ol>
 * <li>sending a message with a 1 MB attachment from the person's own mailbox
 * ({@code POST /mail/{id}/compose}, multipart, until its 302): submission through Postfix with the
 * session credential, then the copy APPENDed to Sent. Baseline in the same rounds: a bare Angus
 * client doing the same two things with the person's password on connections it opens each time
 * (the app opens a submission connection per message too);</li>
 * <li>50 people, each a reply member of one shared mailbox and signed in in a web session of their
 * own, working it together for a minute: the list, a message, the reply form, the reply sent as
 * the shared address. Every answer must be right; the figures are per kind of request; the
 * number of Dovecot IMAP processes is sampled twice a second throughout.</li>
 * </ol>
 */
class WebmailWritingBench {

	static final int ATTACHMENT_BYTES = 1024 * 1024;
	static final int PEOPLE = 50;
	static final Duration TOGETHER = Duration.ofMinutes(1);
	static final double TARGET_SEND_P95 = 1000;
	static final double TARGET_TOGETHER_P95 = 1000;
	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
	static final Pattern MESSAGE_UID = Pattern.compile("/messages/(\\d+)\\?folder=INBOX");

	static void measure(BenchSupport.Tenant tenant, String readerId, String readerAddress, String sharedId,
			String sharedAddress, int iterations) throws Exception {
		String base = tenant.base();
		var sink = BenchSupport.call(base, "POST", "/api/v1/mailboxes", tenant.key(), "{\"domain_id\":\"" + tenant.domainId()
				+ "\",\"local_part\":\"sink\",\"password\":\"" + WebmailBench.PASSWORD + "\"}").get("mailbox");
		String sinkAddress = sink.get("address").asString();
		byte[] attachment = new byte[ATTACHMENT_BYTES];
		new Random(42).nextBytes(attachment);

		// ---- 1. a message with a 1 MB attachment ----
		int sends = Math.max(10, Math.min(iterations, 40));
		WebmailBench.Web web = WebmailBench.Web.signIn(base, readerAddress, WebmailBench.PASSWORD);
		String compose = "/mail/" + readerId + "/compose";
		String csrf = csrf(web, compose);
		Session mail = Session.getInstance(WebmailBench.imapProperties());
		long[] app = new long[sends];
		long[] bare = new long[sends];
		for (int i = -5; i < sends; i++) {
			long took = send(web, compose, csrf, sinkAddress, "Bench attachment " + i, attachment);
			long baseline = bareSend(mail, readerAddress, sinkAddress, "Bench bare attachment " + i, attachment);
			if (i >= 0) {
				app[i] = took;
				bare[i] = baseline;
			}
		}
		int sent = count(mail, readerAddress, "Sent", "Bench attachment ");
		if (sent != sends + 5) {
			throw new IllegalStateException("Sent holds " + sent + " of the " + (sends + 5) + " messages the app sent");
		}

		// ---- 2. fifty people on one shared mailbox ----
		List<String> members = new ArrayList<>();
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < PEOPLE; i++) {
			var m = BenchSupport.call(base, "POST", "/api/v1/mailboxes", tenant.key(), "{\"domain_id\":\"" + tenant.domainId()
					+ "\",\"local_part\":\"agent" + i + "\",\"password\":\"" + WebmailBench.PASSWORD + "\"}").get("mailbox");
			members.add("{\"mailbox_id\":\"" + m.get("id").asString() + "\",\"permission\":\"reply\"}");
			addresses.add(m.get("address").asString());
		}
		BenchSupport.call(base, "POST", "/api/v1/mailboxes/" + sharedId + "/members", tenant.key(),
				"{\"members\":[" + String.join(",", members) + "]}");
		List<WebmailBench.Web> sessions = new ArrayList<>();
		for (String address : addresses) {
			sessions.add(WebmailBench.Web.signIn(base, address, WebmailBench.PASSWORD));
		}
		String list = "/mail/" + sharedId;
		ConcurrentLinkedQueue<Long> lists = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> opens = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> forms = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> replies = new ConcurrentLinkedQueue<>();
		AtomicInteger imapPeak = new AtomicInteger();
		List<Integer> imapSamples = Collections.synchronizedList(new ArrayList<>());
		String load = WebmailBench.loadAverage();
		long deadline = System.nanoTime() + TOGETHER.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(PEOPLE + 1);
		try {
			Future<?> sampler = pool.submit(() -> {
				while (System.nanoTime() < deadline) {
					int processes = imapProcesses();
					imapSamples.add(processes);
					imapPeak.accumulateAndGet(processes, Math::max);
					Thread.sleep(500);
				}
				return null;
			});
			List<Future<?>> people = new ArrayList<>();
			for (int p = 0; p < PEOPLE; p++) {
				WebmailBench.Web person = sessions.get(p);
				int who = p;
				people.add(pool.submit(() -> {
					String token = csrf(person, "/mail/" + sharedId + "/compose");
					Random random = new Random(who);
					int round = 0;
					while (System.nanoTime() < deadline) {
						long start = System.nanoTime();
						HttpResponse<String> page = person.send(HttpRequest.newBuilder(URI.create(base + list)).GET().build());
						lists.add(System.nanoTime() - start);
						ok(page, list, sharedAddress);
						List<String> uids = new ArrayList<>();
						Matcher uid = MESSAGE_UID.matcher(page.body());
						while (uid.find()) {
							uids.add(uid.group(1));
						}
						String picked = uids.get(random.nextInt(uids.size()));
						String message = list + "/messages/" + picked + "?folder=INBOX";
						opens.add(person.get(message, "Bench message"));
						String form = list + "/compose?mode=reply&reply=" + picked + "&folder=INBOX";
						forms.add(person.get(form, "Re: Bench message"));
						long sendStart = System.nanoTime();
						HttpResponse<String> answer = person.send(HttpRequest.newBuilder(URI.create(base + list + "/compose"))
							.header("Content-Type", "application/x-www-form-urlencoded")
							.header("Referer", base + form)
							.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("_csrf", token, "to", sinkAddress,
									"subject", "Re: team reply " + who + "." + round, "text", "Answered by agent " + who + "."))))
							.build());
						replies.add(System.nanoTime() - sendStart);
						String location = answer.headers().firstValue("Location").orElse("");
						if (answer.statusCode() != 302 || !location.endsWith(list + "?folder=INBOX")) {
							throw new IllegalStateException("agent " + who + "'s reply → " + answer.statusCode() + " " + location);
						}
						round++;
					}
					return null;
				}));
			}
			for (Future<?> person : people) {
				person.get();
			}
			sampler.get();
		}
		finally {
			pool.shutdownNow();
		}
		String loadAfter = WebmailBench.loadAverage();
		int repliesInSent = count(mail, sharedAddress + "*" + readerAddress, "Sent", "Re: team reply ");
		if (repliesInSent != replies.size()) {
			throw new IllegalStateException("The shared Sent holds " + repliesInSent + " of " + replies.size() + " replies");
		}

		System.out.println();
		System.out.printf("=== Webmail writing: load average %s before the 50 people, %s after ===%n", load, loadAfter);
		BenchSupport.report("baseline: Angus submission + APPEND to Sent, 1 MB", bare);
		BenchSupport.report("5. POST /mail/{id}/compose with a 1 MB attachment", app);
		System.out.printf("%-55s ratio p50 %.1f×, p95 %.1f× the baseline; target p95 < %.0f ms%n", "",
				WebmailBench.ratio(app, bare, 50), WebmailBench.ratio(app, bare, 95), TARGET_SEND_P95);
		System.out.printf("6. %d people on %s for %d s, each in a web session of their own:%n", PEOPLE, sharedAddress,
				TOGETHER.toSeconds());
		BenchSupport.report("   GET /mail/{sharedId} (the list)", array(lists));
		BenchSupport.report("   GET …/messages/{uid}", array(opens));
		BenchSupport.report("   GET …/compose?mode=reply", array(forms));
		BenchSupport.report("   POST …/compose (the reply, sent as " + sharedAddress + ")", array(replies));
		long[] all = array(lists, opens, forms, replies);
		BenchSupport.report("   every request", all);
		// a closed loop with no think time: on a small machine the p95 is mostly queueing behind the CPU
		System.out.printf("   throughput %.1f requests/s (%d people, no pause between requests)%n", all.length / (double) TOGETHER.toSeconds(),
				PEOPLE);
		System.out.printf("   %d requests, every one right; %d replies, all in the shared Sent; Dovecot imap processes: "
				+ "peak %d, median %d (each person: the shared mailbox and their own, for the switcher's counts)%n", all.length,
				replies.size(), imapPeak.get(), median(imapSamples));
		List<String> missed = new ArrayList<>();
		WebmailBench.check(missed, "send p95", BenchSupport.p(app, 95) / 1e6, TARGET_SEND_P95, " ms");
		WebmailBench.check(missed, "together p95", BenchSupport.p(all, 95) / 1e6, TARGET_TOGETHER_P95, " ms");
		// each person: the shared mailbox, and their own for the switcher's unread count
		WebmailBench.check(missed, "imap processes", imapPeak.get(), 2 * PEOPLE + 10, "");
		System.out.println(missed.isEmpty() ? "Verdict (writing): every target met"
				: "Verdict (writing): " + missed.size() + " of 3 targets missed: " + String.join("; ", missed));
	}

	static String csrf(WebmailBench.Web web, String path) throws Exception {
		HttpResponse<String> page = web.send(HttpRequest.newBuilder(URI.create(web.base() + path)).GET().build());
		Matcher matcher = CSRF.matcher(page.body());
		if (page.statusCode() != 200 || !matcher.find()) {
			throw new IllegalStateException("GET " + path + " → " + page.statusCode() + " without a CSRF token");
		}
		return matcher.group(1);
	}

	/** The time of one multipart send until its redirect to the list. */
	static long send(WebmailBench.Web web, String compose, String csrf, String to, String subject, byte[] attachment)
			throws Exception {
		String boundary = "----bench" + System.nanoTime();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (var field : Map.of("_csrf", csrf, "to", to, "subject", subject, "text", "The figures are attached.").entrySet()) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
					+ field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"figures.bin\""
				+ "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(attachment);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(web.base() + compose))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Referer", web.base() + compose)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build();
		long start = System.nanoTime();
		HttpResponse<String> answer = web.send(request);
		long took = System.nanoTime() - start;
		String location = answer.headers().firstValue("Location").orElse("");
		if (answer.statusCode() != 302 || !location.contains("?folder=INBOX")) {
			throw new IllegalStateException("POST " + compose + " → " + answer.statusCode() + " " + location);
		}
		return took;
	}

	/** The same from a bare client: submission with the password, then APPEND to Sent, new connections each. */
	static long bareSend(Session imapSession, String from, String to, String subject, byte[] attachment) throws Exception {
		Properties props = new Properties();
		props.put("mail.smtp.host", WebmailBench.HOST);
		props.put("mail.smtp.port", Integer.toString(WebmailBench.SUBMISSION_PORT));
		props.put("mail.smtp.auth", "true");
		props.put("mail.smtp.starttls.enable", "true");
		Session session = Session.getInstance(props);
		long start = System.nanoTime();
		MimeMessage message = new MimeMessage(session);
		message.setFrom(new InternetAddress(from));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		message.setSubject(subject);
		MimeBodyPart text = new MimeBodyPart();
		text.setText("The figures are attached.", "UTF-8");
		MimeBodyPart file = new MimeBodyPart();
		file.setDataHandler(new jakarta.activation.DataHandler(
				new jakarta.mail.util.ByteArrayDataSource(attachment, "application/octet-stream")));
		file.setFileName("figures.bin");
		message.setContent(new MimeMultipart(text, file));
		message.saveChanges();
		try (Transport transport = session.getTransport("smtp")) {
			transport.connect(WebmailBench.HOST, WebmailBench.SUBMISSION_PORT, from, WebmailBench.PASSWORD);
			transport.sendMessage(message, message.getAllRecipients());
		}
		try (IMAPStore store = (IMAPStore) imapSession.getStore("imap")) {
			store.connect(WebmailBench.HOST, WebmailBench.IMAP_PORT, from, WebmailBench.PASSWORD);
			store.getFolder("Sent").appendMessages(new Message[] { message });
		}
		return System.nanoTime() - start;
	}

	static int count(Session mail, String login, String folder, String subjectPrefix) throws Exception {
		try (IMAPStore store = (IMAPStore) mail.getStore("imap")) {
			store.connect(WebmailBench.HOST, WebmailBench.IMAP_PORT, login, WebmailBench.PASSWORD);
			IMAPFolder f = (IMAPFolder) store.getFolder(folder);
			f.open(Folder.READ_ONLY);
			try {
				return f.search(new jakarta.mail.search.SubjectTerm(subjectPrefix)).length;
			}
			finally {
				f.close(false);
			}
		}
	}

	/** Dovecot's imap processes (one per IMAP connection: client_limit 1). */
	static int imapProcesses() throws Exception {
		Process ps = new ProcessBuilder("ps", "-C", "imap", "-o", "pid=").redirectErrorStream(true).start();
		String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		ps.waitFor();
		return (int) out.lines().filter(l -> !l.isBlank()).count();
	}

	static void ok(HttpResponse<String> page, String path, String mustContain) {
		if (page.statusCode() != 200 || !page.body().contains(mustContain)) {
			throw new IllegalStateException("GET " + path + " → " + page.statusCode() + " without \"" + mustContain + "\"");
		}
	}

	static String form(Map<String, String> fields) {
		return String.join("&", fields.entrySet()
			.stream()
			.map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.toList());
	}

	@SafeVarargs
	static long[] array(ConcurrentLinkedQueue<Long>... queues) {
		return java.util.Arrays.stream(queues).flatMap(q -> q.stream()).mapToLong(Long::longValue).toArray();
	}

	static int median(List<Integer> samples) {
		List<Integer> sorted = new ArrayList<>(samples);
		Collections.sort(sorted);
		return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
	}
}
