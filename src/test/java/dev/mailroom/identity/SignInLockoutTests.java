package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Wrong passwords from one client lock that client out of the account, not the account's owner
 * signing in from elsewhere. The second client is a real other address: the loopback network is
 * a /8, so a socket bound to 127.0.0.2 reaches the server as another client.
 */
@MailroomTest
class SignInLockoutTests {

	@LocalServerPort
	int port;

	@Test
	void wrongPasswordsFromOneClientDoNotLockTheOwnerOutFromAnother() throws IOException {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("starter");
		Map<String, Object> key = Map.of("name", "k", "scopes", List.of("domains:read"));
		int refused = 0;
		for (int i = 0; i < 11; i++) {
			var attempt = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), "Wrong-password-" + i, key);
			if (attempt.status() == 429) {
				assertThat(attempt.code()).isEqualTo("too_many_attempts");
				assertThat(attempt.header("Retry-After")).isNotBlank();
				refused++;
			}
			else {
				assertThat(attempt.status()).isEqualTo(401);
			}
		}
		// the newTenant call itself signed in once from this client
		assertThat(refused).as("client A is refused").isGreaterThanOrEqualTo(1);
		assertThat(api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD, key).status())
			.as("client A stays refused, even with the right password").isEqualTo(429);

		String answer = postFrom("127.0.0.2", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				"{\"name\":\"from-b\",\"scopes\":[\"domains:read\"]}");
		assertThat(answer).as("client B signs in").startsWith("HTTP/1.1 201");
	}

	/** One HTTP/1.1 request over a socket bound to {@code localAddress}; the raw answer. */
	String postFrom(String localAddress, String path, String email, String password, String json) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress), 0)) {
			socket.setSoTimeout(20_000);
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
			String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: Basic " + basic
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			in.transferTo(answer);
			return answer.toString(StandardCharsets.UTF_8);
		}
	}
}
