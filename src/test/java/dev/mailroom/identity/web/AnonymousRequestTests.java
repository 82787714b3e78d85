package dev.mailroom.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 27: an anonymous request to a protected page stores no session (it used to store one
 * for 8 hours, to remember where to come back after signing in), and its redirect to the
 * sign-in page is on the configured base URL, never on the request's Host header.
 */
@MailroomTest
class AnonymousRequestTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anonymousRequestsToProtectedPagesStoreNoSession() throws Exception {
		long start = System.currentTimeMillis();
		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		for (int i = 0; i < 50; i++) {
			HttpResponse<String> answer = client.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + (i % 2 == 0 ? "/dashboard" : "/domains?page=" + i)))
						.timeout(Duration.ofSeconds(20))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(302);
			assertThat(answer.headers().firstValue("Location").orElse("")).endsWith("/signin");
			assertThat(answer.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("MAILROOM_SESSION="));
		}
		long created = jdbc.sql("select count(*) from mailroom.spring_session where creation_time >= :start")
			.param("start", start)
			.query(Long.class)
			.single();
		assertThat(created).as("sessions stored: %s", jdbc.sql("""
				select s.creation_time, s.principal_name, string_agg(a.attribute_name, ',') from mailroom.spring_session s
				left join mailroom.spring_session_attributes a on a.session_primary_id = s.primary_id
				where s.creation_time >= :start group by 1, 2""").param("start", start).query().listOfRows()).isZero();
	}

	@Test
	void signingInStillReturnsToTheRequestedPage() {
		TestApi api = new TestApi(port);
		String email = api.newTenant("starter").ownerEmail();
		WebSession browser = new WebSession(api.base());
		assertThat(browser.get("/api-keys?tab=1").statusCode()).isEqualTo(302);
		HttpResponse<String> signedIn = browser.post("/signin", Map.of("email", email, "password", TestApi.PASSWORD),
				"/signin");
		assertThat(signedIn.headers().firstValue("Location").orElse("")).isEqualTo(api.base() + "/api-keys?tab=1");
		HttpResponse<String> again = browser.post("/signout", Map.of(), "/dashboard");
		assertThat(again.statusCode()).isEqualTo(302);
		assertThat(browser.post("/signin", Map.of("email", email, "password", TestApi.PASSWORD), "/signin")
			.headers()
			.firstValue("Location")
			.orElse("")).as("the return path is used once").isEqualTo(api.base() + "/dashboard");
	}

	@Test
	void theSignInRedirectIgnoresTheHostHeader() throws IOException {
		String answer = rawGet("/dashboard", "evil.test");
		assertThat(answer).startsWith("HTTP/1.1 302");
		String location = answer.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).findFirst().orElseThrow();
		assertThat(location).doesNotContain("evil.test").endsWith("/signin");

		String home = rawGet("/", "evil.test");
		assertThat(home).startsWith("HTTP/1.1 302");
		assertThat(home.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).findFirst().orElseThrow())
			.as("other redirects stay relative").doesNotContain("evil.test").endsWith("/signin");
	}

	/** A GET with the given Host header (HttpClient does not let a caller set it). */
	private String rawGet(String path, String host) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			socket.getInputStream().transferTo(answer);
			return answer.toString(StandardCharsets.UTF_8);
		}
	}
}
