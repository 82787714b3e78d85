package dev.mailroom.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.Test;

/**
 * A failed delivery shows the tenant a fixed sentence; the relay's own reply (its host names and
 * policy texts) never reaches the invite's delivery state. Against a small SMTP server that
 * refuses with a telling text, through the real SMTP transport.
 */
class DeliveryFailuresTests {

	private static final String RELAY_TEXT = "relay-7.corp.internal policy=strict-outbound-v2 contact noc@corp.internal";

	@Test
	void aRefusedMessageIsDescribedWithoutTheRelaysText() throws Exception {
		String shown = describeAgainst("DATA", "554 5.7.1 " + RELAY_TEXT);
		assertThat(shown).isEqualTo(DeliveryFailures.REFUSED).doesNotContain("corp.internal");
	}

	@Test
	void aRefusedRecipientIsDescribedWithoutTheRelaysText() throws Exception {
		String shown = describeAgainst("RCPT", "550 5.1.1 " + RELAY_TEXT);
		assertThat(shown).isEqualTo(DeliveryFailures.RECIPIENT_REFUSED).doesNotContain("corp.internal");
	}

	@Test
	void aDeferralIsDescribedWithoutTheRelaysText() throws Exception {
		String shown = describeAgainst("MAIL", "451 4.3.0 " + RELAY_TEXT);
		assertThat(shown).isIn(DeliveryFailures.DEFERRED, DeliveryFailures.REFUSED).doesNotContain("corp.internal");
	}

	@Test
	void anUnreachableRelayIsTemporarilyUnreachable() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		Exception failure = send(closed);
		assertThat(DeliveryFailures.describe(failure)).isEqualTo(DeliveryFailures.UNREACHABLE);
		assertThat(DeliveryFailures.detail(failure)).as("the log keeps the cause").isNotBlank();
	}

	/** Runs one SMTP session whose reply to {@code command} is {@code refusal}; returns what a tenant sees. */
	private String describeAgainst(String command, String refusal) throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread relay = Thread.ofPlatform().daemon().start(() -> serve(server, command, refusal));
			Exception failure = send(server.getLocalPort());
			relay.join(5_000);
			assertThat(failure).as("the relay refused").isNotNull();
			assertThat(DeliveryFailures.detail(failure)).as("the log keeps the relay's reply").contains("corp.internal");
			return DeliveryFailures.describe(failure);
		}
	}

	private static Exception send(int port) {
		MailroomSettings settings = new MailroomSettings(Path.of("unused"), null, null, null, false, 30, null,
				"Mailroom <no-reply@mailroom.test>", 0, false, null, null,
				new MailroomSettings.Smtp("127.0.0.1", port, null, null, false), null);
		UUID id = UUID.randomUUID();
		Map<UUID, Exception> failed = MailTransport.from(settings)
			.sendAll(List.of(new MailTransport.Outgoing(id, null, "someone@example.test",
					new EmailMessage("Subject", "Text", "<p>Text</p>"))));
		return failed.get(id);
	}

	private static void serve(ServerSocket server, String refusedCommand, String refusal) {
		try (Socket client = server.accept();
				BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
				PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
			out.print("220 relay ready\r\n");
			out.flush();
			boolean data = false;
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (data) {
					if (line.equals(".")) {
						data = false;
						out.print("250 ok\r\n");
						out.flush();
					}
					continue;
				}
				String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
				if (verb.startsWith(refusedCommand)) {
					out.print(refusal + "\r\n");
				}
				else if (verb.equals("EHLO") || verb.equals("HELO")) {
					out.print("250 relay\r\n");
				}
				else if (verb.equals("DATA")) {
					out.print("354 go on\r\n");
					data = true;
				}
				else if (verb.equals("QUIT")) {
					out.print("221 bye\r\n");
					out.flush();
					return;
				}
				else {
					out.print("250 ok\r\n");
				}
				out.flush();
			}
		}
		catch (java.io.IOException e) {
			// the client hung up: the test judges what it saw
		}
	}
}
