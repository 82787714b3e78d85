package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Behind a TLS proxy: an app that trusts only 127.0.0.1 as its proxy and has an https base URL.
 * Requests from 127.0.0.1 play the proxy; requests sent from 127.0.0.2 (still loopback) play a
 * client reaching the app directly, whose forwarded headers are made up. Rate limits and audit
 * events follow the real client address; cookies are Secure and HSTS is sent.
 */
class ClientAddressTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;
	static TestApi api;
	static int port;
	static HttpClient proxy;
	static HttpClient direct;

	@BeforeAll
	static void start() throws Exception {
		app = new SpringApplicationBuilder(MailroomApplication.class).run("--server.port=0",
				"--mailroom.data-dir=" + dataDir, "--logging.level.root=warn",
				"--mailroom.operator-token=" + TestApi.OPERATOR_TOKEN, "--mailroom.trusted-proxies=127.0.0.1, 10.0.0.0/8",
				"--mailroom.base-url=https://mail.example.test", "--mailroom.rate-limits.signup-client=2");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		api = new TestApi(port);
		proxy = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		direct = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.localAddress(InetAddress.getByName("127.0.0.2"))
			.build();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aSpoofedForwardedForFromAnUntrustedPeerIsIgnoredByTheRateLimit() throws Exception {
		for (int i = 0; i < 2; i++) {
			assertThat(signUp(direct, "198.51.100." + (10 + i)).statusCode()).isEqualTo(202);
		}
		HttpResponse<String> third = signUp(direct, "198.51.100.12");
		assertThat(third.statusCode()).as("a new made-up address per request is still one client: the peer")
			.isEqualTo(429);
	}

	@Test
	void theForwardedClientOfATrustedProxyHasItsOwnRateLimit() throws Exception {
		for (String client : List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::1")) {
			assertThat(signUp(proxy, client).statusCode()).as(client).isEqualTo(202);
		}
		assertThat(signUp(proxy, "203.0.113.9").statusCode()).isEqualTo(202);
		assertThat(signUp(proxy, "203.0.113.9").statusCode()).isEqualTo(202);
		assertThat(signUp(proxy, "203.0.113.9").statusCode()).as("that client's own bucket is empty").isEqualTo(429);
		assertThat(signUp(proxy, "203.0.113.9, 10.1.2.3").statusCode())
			.as("the right-most address that is not a trusted proxy is the client")
			.isEqualTo(429);
	}

	@Test
	void auditEventsRecordTheRealClientAddress() throws Exception {
		TestApi.Tenant tenant = api.newTenant("starter");
		String viaProxy = createDomain(proxy, tenant, "192.0.2.1, 203.0.113.50");
		String spoofed = createDomain(direct, tenant, "203.0.113.60");
		JsonNode events = JSON.readTree(api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events", null).raw().body())
			.get("items");
		assertThat(ipOfEventAbout(events, viaProxy)).as("through the trusted proxy").isEqualTo("203.0.113.50");
		assertThat(ipOfEventAbout(events, spoofed)).as("made up by a direct client").isEqualTo("127.0.0.2");
	}

	@Test
	void cookiesAreSecureAndHstsIsSentWithAnHttpsBaseUrl() throws Exception {
		HttpResponse<String> page = proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
				value -> assertThat(value).contains("max-age=31536000"));
		List<String> cookies = page.headers().allValues("Set-Cookie");
		assertThat(cookies).as("the sign-in form's session (it holds the CSRF token)").isNotEmpty();
		assertThat(cookies).allSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("; Secure").containsIgnoringCase(
				"HttpOnly"));
		HttpResponse<String> apiCall = proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
				+ "/api/v1/domains")).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(apiCall.headers().firstValue("Strict-Transport-Security")).isPresent();
	}

	@Test
	void theSignInRedirectGoesToTheBaseUrlWithASecureReturnCookie() throws Exception {
		HttpResponse<String> redirect = proxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dashboard"))
			.header("X-Forwarded-Host", "evil.test")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(redirect.headers().firstValue("Location")).hasValue("https://mail.example.test/signin");
		assertThat(redirect.headers().allValues("Set-Cookie")).singleElement()
			.satisfies(cookie -> assertThat(cookie).startsWith("MAILROOM_RETURN=").contains("; Secure").contains("HttpOnly"));
	}

	private static HttpResponse<String> signUp(HttpClient client, String forwardedFor) throws Exception {
		String body = JSON.writeValueAsString(Map.of("email", "proxy-" + UUID.randomUUID() + "@example.test", "password",
				TestApi.PASSWORD, "name", "Proxy"));
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/signup"))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", forwardedFor)
			.header("X-Forwarded-Proto", "https")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String createDomain(HttpClient client, TestApi.Tenant tenant, String forwardedFor) throws Exception {
		String name = "proxy-" + UUID.randomUUID() + ".example";
		HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
				+ "/api/v1/domains"))
			.header("Authorization", "Bearer " + tenant.apiKey())
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", forwardedFor)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return JSON.readTree(created.body()).get("id").asString();
	}

	private static String ipOfEventAbout(JsonNode events, String domainId) {
		for (JsonNode event : events) {
			if (event.toString().contains(domainId)) {
				return event.path("ip").asString();
			}
		}
		throw new AssertionError("no audit event about " + domainId + " in " + events);
	}
}
