package dev.mailroom.mailplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The real mail plane for the end-to-end suite: {@code scripts/mailplane start} against the test
 * application's embedded PostgreSQL (the same command a user runs), on ports of its own, once per
 * JVM and stopped when the JVM ends. Clients are Angus Mail's IMAP and SMTP.
 */
public final class MailPlane {

	public static final String HOST = "127.0.0.1";
	public static final int IMAP = 12143;
	public static final int SMTP = 12025;
	public static final int SUBMISSION = 12587;
	public static final int PORT_BASE = 12024;
	public static final int DOVEADM = PORT_BASE + 5;
	public static final String DOVEADM_URL = "http://127.0.0.1:" + DOVEADM;

	private static Path dir;

	private MailPlane() {
	}

	/** Starts the mail plane once for the application whose settings these are. */
	public static synchronized Path ensureStarted(MailroomSettings settings) throws Exception {
		if (dir != null) {
			return dir;
		}
		Path project = Path.of("").toAbsolutePath();
		Path buildDir = project.resolve(System.getProperty("mailroom.build.dir", "target")).toAbsolutePath().normalize();
		Path planeDir = buildDir.resolve("e2e-mailplane");
		Map<String, String> env = Map.of("MAILROOM_DATA_DIR", settings.dataDir().toAbsolutePath().toString(),
				"MAILPLANE_DIR", planeDir.toString(), "MAILROOM_JAR", buildDir.resolve("mailroom.jar").toString(),
				"MAILPLANE_IMAP_PORT", Integer.toString(IMAP), "MAILPLANE_SMTP_PORT", Integer.toString(SMTP),
				"MAILPLANE_SUBMISSION_PORT", Integer.toString(SUBMISSION), "MAILPLANE_PORT_BASE",
				Integer.toString(PORT_BASE));
		script("start", env, project);
		dir = planeDir;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				script("stop", env, project);
			}
			catch (Exception e) {
				System.err.println("Could not stop the mail plane: " + e.getMessage());
			}
		}));
		return dir;
	}

	private static void script(String command, Map<String, String> env, Path project) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(project.resolve("scripts/mailplane").toString(), command)
			.directory(project.toFile())
			.redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("scripts/mailplane " + command + " failed:\n" + output);
		}
	}

	public static Path mailDir() {
		return dir.resolve("mail");
	}

	/** Message files of a mailbox home on disk (new/ and cur/ of every folder). */
	public static List<Path> messageFiles(String mailboxId) throws IOException {
		Path home = mailDir().resolve(mailboxId);
		List<Path> files = new ArrayList<>();
		if (!Files.exists(home)) {
			return files;
		}
		try (var walk = Files.walk(home)) {
			walk.filter(Files::isRegularFile)
				.filter(p -> p.getParent().getFileName().toString().matches("new|cur"))
				.forEach(files::add);
		}
		return files;
	}

	// ---- IMAP ----

	public static Store imap(String user, String password) throws MessagingException {
		Properties props = new Properties();
		props.put("mail.imap.connectiontimeout", "5000");
		props.put("mail.imap.timeout", "10000");
		Store store = Session.getInstance(props).getStore("imap");
		store.connect(HOST, IMAP, user, password);
		return store;
	}

	/** Opens {@code shared} as {@code member} (Dovecot master user: "shared*member" + own password). */
	public static Store imapAs(String shared, String member, String password) throws MessagingException {
		return imap(shared + "*" + member, password);
	}

	public static List<String> subjects(Store store) throws MessagingException {
		Folder inbox = store.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);
		try {
			List<String> subjects = new ArrayList<>();
			for (Message message : inbox.getMessages()) {
				subjects.add(message.getSubject());
			}
			return subjects;
		}
		finally {
			inbox.close(false);
		}
	}

	/**
	 * Sends raw IMAP commands in a SELECTed INBOX (read-write as far as the client asks) and returns
	 * each tagged status line: "OK …", "NO …", "BAD …".
	 */
	public static List<String> rawInSelectedInbox(Store store, String... commands) throws MessagingException {
		IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
		inbox.open(Folder.READ_ONLY);
		try {
			Object result = inbox.doCommand(protocol -> {
				List<String> statuses = new ArrayList<>();
				statuses.add(tagged(protocol.command("SELECT INBOX", null)));
				for (String command : commands) {
					statuses.add(tagged(protocol.command(command, null)));
				}
				return statuses;
			});
			@SuppressWarnings("unchecked")
			List<String> statuses = (List<String>) result;
			return statuses;
		}
		finally {
			inbox.close(false);
		}
	}

	private static String tagged(Response[] responses) {
		Response last = responses[responses.length - 1];
		String text = last.toString();
		// "A12 OK [READ-ONLY] Select completed" → "OK [READ-ONLY] Select completed"
		int space = text.indexOf(' ');
		return space < 0 ? text : text.substring(space + 1);
	}

	// ---- SMTP ----

	/** Delivers a message to {@code to} on the inbound SMTP port, as mail from the Internet does. */
	public static void deliver(String to, String subject) throws MessagingException {
		deliver(to, subject, "Hello from outside.\n", false);
	}

	/** Delivers a message that {@code build} fills in (From: and To: are set) on the inbound SMTP port. */
	public static void deliver(String to, MessageBuilder build) throws MessagingException {
		Properties props = new Properties();
		props.put("mail.smtp.host", HOST);
		props.put("mail.smtp.port", Integer.toString(SMTP));
		props.put("mail.smtp.from", "sender@outside.example");
		MimeMessage message = new MimeMessage(Session.getInstance(props));
		message.setFrom(new InternetAddress("sender@outside.example"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		build.fill(message);
		Transport.send(message);
	}

	/** Fills in a message's subject and content. */
	public interface MessageBuilder {

		void fill(MimeMessage message) throws MessagingException;
	}

	/** Delivers a message of about {@code bytes} bytes to {@code to}, announcing its size or not. */
	public static void deliverLarge(String to, String subject, int bytes, boolean announceSize) throws MessagingException {
		deliver(to, subject, ("x".repeat(999) + "\n").repeat(Math.max(1, bytes / 1000)), announceSize);
	}

	private static void deliver(String to, String subject, String body, boolean announceSize) throws MessagingException {
		Properties props = new Properties();
		props.put("mail.smtp.host", HOST);
		props.put("mail.smtp.port", Integer.toString(SMTP));
		props.put("mail.smtp.from", "sender@outside.example");
		if (announceSize) {
			// MTAs announce the size (SIZE=) so the receiver may refuse at RCPT time
			props.put("mail.smtp.mailextension", "SIZE=" + body.length());
		}
		MimeMessage message = new MimeMessage(Session.getInstance(props));
		message.setFrom(new InternetAddress("sender@outside.example"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		message.setSubject(subject);
		message.setText(body);
		Transport.send(message);
	}

	/**
	 * Submits on the submission port, signed in as {@code login}, with the given envelope sender
	 * and header From:.
	 */
	public static void submit(String login, String password, String envelopeFrom, String headerFrom, String to,
			String subject) throws MessagingException {
		Properties props = new Properties();
		props.put("mail.smtp.host", HOST);
		props.put("mail.smtp.port", Integer.toString(SUBMISSION));
		props.put("mail.smtp.auth", "true");
		props.put("mail.smtp.from", envelopeFrom);
		props.put("mail.smtp.connectiontimeout", "5000");
		props.put("mail.smtp.timeout", "10000");
		Session session = Session.getInstance(props);
		MimeMessage message = new MimeMessage(session);
		message.setFrom(new InternetAddress(headerFrom));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		message.setSubject(subject);
		message.setText("Sent through submission.\n");
		Transport.send(message, login, password);
	}
}
