package dev.mailroom.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.mailroom.MailroomTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 30, item 4: requests refused before any filter runs — by Tomcat (a {@code %00} in the
 * path, a query over the 8 KB request-line limit) or by the security firewall (a method no
 * endpoint has) — answer as every other error: problem+json with a code and an X-Request-Id.
 * Raw sockets, since HTTP clients refuse to send such requests.
 */
@MailroomTest
class ContainerErrorsTests {

	@LocalServerPort
	int port;

	String raw(String requestLine) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static void assertProblem(String answer, int status, String code) {
		assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status);
		String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
		assertThat(head).contains("content-type: application/problem+json").containsPattern("x-request-id: [0-9a-f-]{36}");
		assertThat(answer).contains("\"code\":\"" + code + "\"").doesNotContain("<html");
	}

	@Test
	void aNulInThePathIsAProblemWithARequestId() throws IOException {
		assertProblem(raw("GET /api/v1/mailboxes/%00 HTTP/1.1"), 400, "malformed_request");
	}

	@Test
	void aQueryOverTheRequestLineLimitIsAProblemWithARequestId() throws IOException {
		assertProblem(raw("GET /api/v1/mailboxes?q=" + "a".repeat(9000) + " HTTP/1.1"), 400, "malformed_request");
	}

	@Test
	void anUnknownMethodIs405() throws IOException {
		assertProblem(raw("QUERY /api/v1/mailboxes HTTP/1.1"), 405, "method_not_allowed");
		assertProblem(raw("PROPFIND /api/v1/mailboxes HTTP/1.1"), 405, "method_not_allowed");
	}
}
