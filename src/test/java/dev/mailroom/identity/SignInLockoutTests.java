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
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Wrong passwords from one client lock that client out of the account, not the account's owner
 * signing in from elsewhere. Other clients are real other addresses: the loopback network is a
 * /8, so a socket bound to 127.0.0.2 reaches the server as another client.
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

	/** Issue 27: ten wrong passwords from each of eleven addresses pause the account (per account). */
	@Test
	void strangersWithManyAddressesDoNotLockTheOwnerOut() throws IOException {
		TestApi api = new TestApi(port);
		String email = api.newTenant("starter").ownerEmail();
		WebSession known = WebSession.signIn(api.base(), email, TestApi.PASSWORD);
		assertThat(known.post("/signout", Map.of(), "/dashboard").headers().firstValue("Location").orElse(""))
			.contains("/signin?signedout");

		for (int client = 0; client < 11; client++) {
			String address = strangerAddress();
			for (int i = 0; i < 10; i++) {
				String answer = basicFrom(address, email, "Wrong-password-" + i);
				// 401 until the account's 100 are spent, then paused (never this client: 10 each)
				assertThat(answer.startsWith("HTTP/1.1 401") || answer.contains("sign_in_link_sent")).as(answer).isTrue();
			}
		}
		assertThat(basicFrom(strangerAddress(), email, "Wrong-password-x")).as("the account is paused")
			.startsWith("HTTP/1.1 429")
			.contains("sign_in_link_sent")
			.contains("Retry-After: ");

		keepPaused(email);
		HttpResponse<String> fromKnownDevice = known.post("/signin", Map.of("email", email, "password", TestApi.PASSWORD),
				"/signin");
		assertThat(fromKnownDevice.headers().firstValue("Location").orElse("")).as("a known device signs in")
			.endsWith("/dashboard");

		int emails = TestMailServer.shared().messagesTo(email).size();
		WebSession unknown = new WebSession(api.base());
		String csrf = unknown.csrf("/signin");
		assertThat(csrf).isNotBlank();
		keepPaused(email);
		HttpResponse<String> fromUnknown = unknown.post("/signin", Map.of("email", email, "password", TestApi.PASSWORD),
				"/signin");
		assertThat(fromUnknown.headers().firstValue("Location").orElse("")).as("an unknown client is sent a link")
			.contains("/signin?error=link&wait=");
		assertThat(unknown.get("/dashboard").statusCode()).as("not signed in by the password").isEqualTo(302);
		assertThat(unknown.get("/signin?error=link&wait=1").body()).contains("we emailed you a sign-in link")
			.contains("1 minute");

		var messages = TestMailServer.shared().await(email, emails + 1, Duration.ofSeconds(20));
		assertThat(messages).hasSizeGreaterThan(emails);
		Matcher link = SIGN_IN_LINK.matcher(TestMailServer.text(messages.getLast()));
		assertThat(link.find()).as("a sign-in link in the email").isTrue();
		String path = "/signin/link/" + link.group(1);
		assertThat(unknown.get(path).body()).as("opening the link changes nothing").contains("use-signin-link");
		assertThat(unknown.get(path).statusCode()).isEqualTo(200);
		HttpResponse<String> used = unknown.post(path, Map.of(), path);
		assertThat(used.headers().firstValue("Location").orElse("")).endsWith("/dashboard");
		assertThat(unknown.get("/dashboard").statusCode()).as("signed in by the link").isEqualTo(200);

		WebSession again = new WebSession(api.base());
		assertThat(again.post(path, Map.of(), path).headers().firstValue("Location").orElse(""))
			.as("the link works once").contains("/signin?link=used");

		assertThat(unknown.post("/signout", Map.of(), "/dashboard").statusCode()).isEqualTo(302);
		keepPaused(email);
		assertThat(unknown.post("/signin", Map.of("email", email, "password", TestApi.PASSWORD), "/signin")
			.headers()
			.firstValue("Location")
			.orElse("")).as("the link made the browser a known device").endsWith("/dashboard");
	}

	@Test
	void theRightPasswordNeverUsesUpTheAllowance() {
		TestApi api = new TestApi(port);
		String email = api.newTenant("starter").ownerEmail();
		for (int i = 0; i < 15; i++) {
			assertThat(api.basic("GET", "/api/v1/me/mailboxes", email, TestApi.PASSWORD, null).status())
				.as("sign-in %d", i + 1)
				.isEqualTo(200);
		}
		for (int i = 0; i < 13; i++) {
			WebSession.signIn(api.base(), email, TestApi.PASSWORD);
		}
		HttpResponse<String> signedIn = new WebSession(api.base()).post("/signin",
				Map.of("email", email, "password", TestApi.PASSWORD), "/signin");
		assertThat(signedIn.headers().allValues("Set-Cookie")).as("a device cookie")
			.anySatisfy(cookie -> assertThat(cookie).startsWith("MAILROOM_DEVICE=")
				.contains("HttpOnly")
				.contains("SameSite=Lax")
				.contains("Max-Age=31536000"));
	}

	@Test
	void parallelWrongPasswordsCannotOverrunTheLimit() throws Exception {
		TestApi api = new TestApi(port);
		String email = api.newTenant("starter").ownerEmail();
		String address = strangerAddress();
		List<Integer> statuses = Race.of(20, i -> Integer.parseInt(basicFrom(address, email, "Wrong-" + i).substring(9, 12)));
		assertThat(statuses).containsOnly(401, 429);
		assertThat(statuses.stream().filter(s -> s == 401).count()).as("passwords checked").isLessThanOrEqualTo(10);
	}

	private static final Pattern SIGN_IN_LINK = Pattern.compile("/signin/link/([A-Za-z0-9_-]{64})");
	private static final int SUBNET = new Random().nextInt(1, 250);
	private static final AtomicInteger STRANGERS = new AtomicInteger();

	/** An address no other test uses (127.SUBNET.x.y). */
	private static String strangerAddress() {
		int n = STRANGERS.incrementAndGet();
		return "127." + SUBNET + "." + (n / 250 + 1) + "." + (n % 250 + 1);
	}

	/**
	 * The account's bucket refills gradually: drains what refilled since, so the next attempt
	 * finds the account paused.
	 */
	private void keepPaused(String email) throws IOException {
		for (int i = 0; i < 20; i++) {
			if (basicFrom(strangerAddress(), email, "Wrong-again").contains("sign_in_link_sent")) {
				return;
			}
		}
		throw new IllegalStateException("the account is not paused");
	}

	/** GET /api/v1/me/mailboxes with Basic from {@code localAddress}; the raw answer. */
	String basicFrom(String localAddress, String email, String password) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress), 0)) {
			socket.setSoTimeout(20_000);
			String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
			String head = "GET /api/v1/me/mailboxes HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: Basic " + basic
					+ "\r\nConnection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			socket.getInputStream().transferTo(answer);
			return answer.toString(StandardCharsets.UTF_8);
		}
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
