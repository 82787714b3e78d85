package dev.mailroom;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real SMTP relay for the shared test context (GreenMail on loopback), started once per JVM.
 * Tests can stop and start it to play a relay that is down for a while.
 */
public final class TestMailServer {

	private static TestMailServer shared;

	private final int port;
	private GreenMail greenMail;

	private TestMailServer(int port) {
		this.port = port;
		start();
	}

	public static synchronized TestMailServer shared() {
		if (shared == null) {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
			shared = new TestMailServer(port);
		}
		return shared;
	}

	public synchronized void start() {
		greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		greenMail.start();
	}

	public synchronized void stop() {
		greenMail.stop();
	}

	/** Messages received so far for {@code recipient}. */
	public List<MimeMessage> messagesTo(String recipient) {
		return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
			try {
				return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
			}
			catch (Exception e) {
				return false;
			}
		}).toList();
	}

	/** Waits until {@code count} messages for {@code recipient} arrived; returns them. */
	public List<MimeMessage> await(String recipient, int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<MimeMessage> messages = messagesTo(recipient);
		while (messages.size() < count && System.nanoTime() < deadline) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
			messages = messagesTo(recipient);
		}
		return messages;
	}

	/** The plain-text alternative of a message. */
	public static String text(Message message) {
		return part(message, "text/plain");
	}

	public static String html(Message message) {
		return part(message, "text/html");
	}

	private static String part(Message message, String type) {
		try {
			return find(message.getContent(), type);
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static String find(Object content, String type) throws Exception {
		if (content instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart part = multipart.getBodyPart(i);
				if (part.isMimeType(type)) {
					return GreenMailUtil.getBody(part).isEmpty() ? null : String.valueOf(part.getContent());
				}
				String nested = find(part.getContent(), type);
				if (nested != null) {
					return nested;
				}
			}
		}
		return null;
	}

	/** Points the application's SMTP settings at this server, with quick retries. */
	public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues
				.of("mailroom.smtp.host=127.0.0.1", "mailroom.smtp.port=" + shared().port, "mailroom.smtp.starttls=false",
						"mailroom.outbox-retry-base=PT1S", "mailroom.outbox-poll-interval=PT1S")
				.applyTo(context);
		}
	}
}
