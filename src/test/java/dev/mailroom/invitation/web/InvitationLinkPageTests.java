package dev.mailroom.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The invitation link page over plain HTTP, as a mail scanner or a browser sees it: GET and HEAD
 * change nothing however often they come, every answer is private (no-store, no-referrer), an
 * unusable link gets a page that says so with the right status and no form, and a refused form
 * keeps the link usable. Also: the dev mail viewer does not exist when an SMTP relay is set.
 */
@MailroomTest
class InvitationLinkPageTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
	private static final String STRONG = "Sturdy-Invitee-Pass-4";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "link-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null).status())
			.isEqualTo(200);
	}

	@Test
	void openingTheLinkAnyNumberOfTimesChangesNothingAndEveryAnswerIsPrivate() {
		String recipient = "scanned-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		TestApi.Response sent = invite(recipient);
		String id = sent.text("id");
		String path = pathOf(sent.text("link"));

		for (int i = 0; i < 3; i++) {
			TestApi.Response page = api.anonymous("GET", path, null);
			assertThat(page.status()).isEqualTo(200);
			assertPrivate(page);
			assertThat(page.raw().body()).contains("Set up your mailbox")
				.contains(domain)
				.contains("Org " + tenant.ownerEmail())
				.contains("Owner")
				.contains("id=\"accept-form\"")
				.contains("At least 10 characters");
			TestApi.Response head = api.anonymous("HEAD", path, null);
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.raw().body()).isEmpty();
			assertPrivate(head);
		}
		// the live availability check is just as harmless, and as private
		TestApi.Response available = api.anonymous("GET", path + "/availability?local_part=dana", null);
		assertThat(available.status()).isEqualTo(200);
		assertPrivate(available);
		assertThat(available.raw().body()).contains("✓ available");

		TestApi.Response invite = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + id, null);
		assertThat(invite.text("status")).isEqualTo("pending");
		assertThat(invite.json().get("send_count").asInt()).isEqualTo(1);
		assertThat(invite.json().get("mailbox_id").isNull()).isTrue();
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + tokenOf(path), null).status()).isEqualTo(200);
	}

	@Test
	void theAvailabilityCheckSaysTakenAndNotValid() {
		TestApi.Response mailbox = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "taken", "password", "Good-password-123"));
		assertThat(mailbox.status()).isEqualTo(201);
		String path = pathOf(invite("checker-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test")
			.text("link"));

		assertThat(api.anonymous("GET", path + "/availability?local_part=taken", null).raw().body()).contains("taken")
			.doesNotContain("✓ available");
		assertThat(api.anonymous("GET", path + "/availability?local_part=" + URLEncoder.encode("no way", StandardCharsets.UTF_8), null)
			.raw()
			.body()).contains("not valid");
		assertThat(api.anonymous("GET", path + "/availability?local_part=", null).raw().body()).doesNotContain("available")
			.doesNotContain("taken");
	}

	@Test
	void theAvailabilityCheckSaysAReservedNameIsReservedNotInvalid() {
		String path = pathOf(invite("reserved-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test")
			.text("link"));

		assertThat(org.jsoup.Jsoup.parse(api.anonymous("GET", path + "/availability?local_part=Admin", null).raw().body())
			.text())
			.contains("admin is reserved for the domain's administration; choose another")
			.doesNotContain("not valid")
			.doesNotContain("✓ available");
		// API clients keep the code
		TestApi.Response api = this.api.anonymous("GET",
				"/api/v1/invitations/" + tokenOf(path) + "/availability?local_part=admin", null);
		assertThat(api.json().get("available").asBoolean()).isFalse();
		assertThat(api.text("code")).isEqualTo("invalid_local_part");
	}

	@Test
	void unknownLinksAnswer404AndCanceledOrReplacedOnes410WithoutAForm() {
		TestApi.Response unknown = api.anonymous("GET", "/invite/" + "A".repeat(64), null);
		assertThat(unknown.status()).isEqualTo(404);
		assertPrivate(unknown);
		assertThat(unknown.raw().body()).contains("ask for a new invite").doesNotContain("accept-form");
		assertThat(api.anonymous("GET", "/invite/not-even-a-token", null).status()).isEqualTo(404);
		assertThat(api.anonymous("HEAD", "/invite/" + "A".repeat(64), null).status()).isEqualTo(404);

		TestApi.Response canceledInvite = invite("canceled-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
		String canceledPath = pathOf(canceledInvite.text("link"));
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + canceledInvite.text("id") + "/cancel",
				null).status()).isEqualTo(200);
		TestApi.Response canceled = api.anonymous("GET", canceledPath, null);
		assertThat(canceled.status()).isEqualTo(410);
		assertPrivate(canceled);
		assertThat(canceled.raw().body()).contains("Link expired — ask for a new invite").doesNotContain("accept-form")
			.doesNotContain("type=\"password\"");
		assertThat(api.anonymous("HEAD", canceledPath, null).status()).isEqualTo(410);

		TestApi.Response resentInvite = invite("resent-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
		String oldPath = pathOf(resentInvite.text("link"));
		TestApi.Response resent = api.bearer(tenant.apiKey(), "POST",
				"/api/v1/mailboxes/invites/" + resentInvite.text("id") + "/resend", null);
		assertThat(api.anonymous("GET", oldPath, null).status()).isEqualTo(410);
		assertThat(api.anonymous("GET", oldPath, null).raw().body()).contains("ask for a new invite")
			.contains("replaced by a newer one");
		assertThat(api.anonymous("GET", pathOf(resent.text("link")), null).status()).isEqualTo(200);
	}

	@Test
	void aRefusedFormComesBackToTheLinkPageWithItsErrorsAndTheLinkStillWorks() throws Exception {
		TestApi.Response sent = invite("refused-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test");
		String path = pathOf(sent.text("link"));
		Browser browser = new Browser();
		String csrf = browser.csrf(path);

		HttpResponse<String> refused = browser.post(path,
				Map.of("local_part", "dana", "password", STRONG, "password_confirmation", STRONG + "x", "_csrf", csrf));
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith(path);
		assertThat(refused.headers().firstValue("Cache-Control").orElse(null)).isEqualTo("no-store");
		HttpResponse<String> again = browser.get(path);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("The two passwords do not match")
			.contains("id=\"password_confirmation-error\"")
			.contains("value=\"dana\"")
			.doesNotContain(STRONG);

		HttpResponse<String> weak = browser.post(path, Map.of("local_part", "dana", "password", "password123",
				"password_confirmation", "password123", "_csrf", browser.csrf(path)));
		assertThat(weak.statusCode()).isEqualTo(302);
		assertThat(browser.get(path).body()).contains("id=\"password-error\"").contains("too common");

		TestApi.Response invite = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id"), null);
		assertThat(invite.text("status")).isEqualTo("pending");

		HttpResponse<String> accepted = browser.post(path,
				Map.of("local_part", "dana", "password", STRONG, "password_confirmation", STRONG, "_csrf", browser.csrf(path)));
		assertThat(accepted.statusCode()).isEqualTo(200);
		assertThat(accepted.headers().firstValue("Cache-Control").orElse(null)).isEqualTo("no-store");
		assertThat(accepted.headers().firstValue("Referrer-Policy").orElse(null)).isEqualTo("no-referrer");
		assertThat(accepted.body()).contains("dana@" + domain).contains("shown only once");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id"), null).text("status"))
			.isEqualTo("accepted");
		// used: the page says so (410), and shows no code again
		HttpResponse<String> used = browser.get(path);
		assertThat(used.statusCode()).isEqualTo(410);
		assertThat(used.body()).contains("already used").doesNotContain("recovery-code");
	}

	@Test
	void theDevMailViewerDoesNotExistWhenAnSmtpRelayIsConfigured() throws Exception {
		HttpResponse<String> anonymous = new Browser().get("/dev/mail");
		assertThat(anonymous.statusCode()).isEqualTo(302);
		assertThat(anonymous.headers().firstValue("Location").orElseThrow()).contains("/signin");

		Browser browser = new Browser();

		String csrf = browser.csrf("/signin");
		HttpResponse<String> signedIn = browser.post("/signin",
				Map.of("email", tenant.ownerEmail(), "password", TestApi.PASSWORD, "_csrf", csrf));
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).contains("/dashboard");
		HttpResponse<String> dashboard = browser.get("/dashboard");
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains(tenant.ownerEmail()).doesNotContain("Dev mail");

		assertThat(browser.get("/dev/mail").statusCode()).isEqualTo(404);
		assertThat(browser.get("/dev/mail/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
		assertThat(browser.get("/dev/mail/" + UUID.randomUUID() + "/html").statusCode()).isEqualTo(404);
	}

	private TestApi.Response invite(String recipient) {
		TestApi.Response sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", recipient));
		assertThat(sent.status()).isEqualTo(201);
		return sent;
	}

	private static void assertPrivate(TestApi.Response response) {
		assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(response.header("Cache-Control")).isEqualTo("no-store");
	}

	private static String pathOf(String link) {
		return URI.create(link).getRawPath();
	}

	private static String tokenOf(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** A client that keeps cookies and does not follow redirects, like a browser's first steps. */
	private final class Browser {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();

		HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return client.send(HttpRequest.newBuilder(URI.create(api.base() + path)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
			String body = new LinkedHashMap<>(form).entrySet()
				.stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return client.send(HttpRequest.newBuilder(URI.create(api.base() + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		/** The CSRF token of the form on {@code path} (and the session it lives in). */
		String csrf(String path) throws IOException, InterruptedException {
			HttpResponse<String> page = get(path);
			Matcher matcher = CSRF.matcher(page.body());
			assertThat(matcher.find()).as("a CSRF token on " + path).isTrue();
			return matcher.group(1);
		}
	}
}
