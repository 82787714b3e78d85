package dev.mailroom;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for the running test server: what an outside client sees, headers and all.
 */
public final class TestApi {

	public static final String OPERATOR_TOKEN = "test-operator-token-0123456789-abcdef";
	public static final String PASSWORD = "Tr0ub4dor&3-horse";

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	public TestApi(int port) {
		this.base = "http://localhost:" + port;
	}

	public String base() {
		return base;
	}

	/** A response: status, headers and the body parsed as JSON (null when empty). */
	public record Response(int status, HttpResponse<String> raw, JsonNode json) {

		public String code() {
			return json == null || json.get("code") == null ? null : json.get("code").asString();
		}

		public String text(String field) {
			return json.get(field).asString();
		}

		public UUID id(String field) {
			return UUID.fromString(text(field));
		}

		public String header(String name) {
			return raw.headers().firstValue(name).orElse(null);
		}
	}

	/** An organization made by the operator, its owner's credentials and an all-scopes API key. */
	public record Tenant(UUID orgId, UUID ownerId, String ownerEmail, String apiKey) {
	}

	public Tenant newTenant(String plan) {
		String email = "owner-" + UUID.randomUUID() + "@example.test";
		Response org = operator("POST", "/api/v1/operator/organizations",
				Map.of("name", "Org " + email, "plan", plan, "owner", Map.of("email", email, "password", PASSWORD, "name", "Owner")));
		if (org.status() != 201) {
			throw new IllegalStateException("Could not create an organization: " + org.raw().body());
		}
		Response key = basic("POST", "/api/v1/api-keys", email, PASSWORD, Map.of("organization_id", org.text("id"), "name",
				"test", "scopes", List.of("domains:read", "domains:write", "mailboxes:read", "mailboxes:write", "team:read",
						"team:write", "audit:read", "api_keys:read", "api_keys:write", "billing:read")));
		if (key.status() != 201) {
			throw new IllegalStateException("Could not create an API key: " + key.raw().body());
		}
		return new Tenant(org.id("id"), org.id("owner_user_id"), email, key.text("token"));
	}

	private static final java.util.regex.Pattern VERIFY_LINK = java.util.regex.Pattern
		.compile("/verify-email/([A-Za-z0-9_-]{64})");

	/**
	 * Signs up and verifies through the real link, read from the email the test SMTP relay got;
	 * returns the verification's answer ({@code user_id}, {@code personal_organization_id}).
	 */
	public Response signUpVerified(String email, String password, String name) {
		String token = signUpLink(email, password, name);
		Response verified = anonymous("POST", "/api/v1/email-verifications/" + token, null);
		if (verified.status() != 200) {
			throw new IllegalStateException("Could not verify " + email + ": " + verified.raw().body());
		}
		return verified;
	}

	/** Signs up and returns the token of the verification link emailed for it (not used yet). */
	public String signUpLink(String email, String password, String name) {
		int before = TestMailServer.shared().messagesTo(email).size();
		Response signup = anonymous("POST", "/api/v1/signup", Map.of("email", email, "password", password, "name", name));
		if (signup.status() != 202) {
			throw new IllegalStateException("Could not sign up " + email + ": " + signup.raw().body());
		}
		var messages = TestMailServer.shared().await(email, before + 1, Duration.ofSeconds(20));
		if (messages.size() <= before) {
			throw new IllegalStateException("No verification email for " + email);
		}
		java.util.regex.Matcher link = VERIFY_LINK.matcher(TestMailServer.text(messages.getLast()));
		if (!link.find()) {
			throw new IllegalStateException("No verification link in the email to " + email);
		}
		return link.group(1);
	}

	/**
	 * The proof of the recipient's inbox carried by the invitation link emailed to {@code recipient}
	 * for {@code token} (the link the inviter gets has none), read from the email the test SMTP relay got.
	 */
	public String emailedInviteProof(String recipient, String token) {
		java.util.regex.Pattern emailed = java.util.regex.Pattern
			.compile("/invite/" + java.util.regex.Pattern.quote(token) + "\\?proof=([A-Za-z0-9_-]{64})");
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			for (var message : TestMailServer.shared().messagesTo(recipient)) {
				String text = TestMailServer.text(message);
				java.util.regex.Matcher link = text == null ? null : emailed.matcher(text);
				if (link != null && link.find()) {
					return link.group(1);
				}
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new IllegalStateException("No invitation email to " + recipient + " with the link " + token);
	}

	/** The body of an accept that creates the recipient's account from the emailed link (with its proof). */
	public Map<String, Object> createAccountFromEmail(String recipient, String token, String password, String name) {
		return Map.of("create_account", Map.of("email", recipient, "password", password, "name", name, "proof",
				emailedInviteProof(recipient, token)));
	}

	private static final java.util.regex.Pattern OWNERSHIP_LINK = java.util.regex.Pattern
		.compile("/ownership/([A-Za-z0-9_-]{64})");

	/**
	 * The account {@code email} accepts the latest ownership invitation emailed to it (the operator
	 * created an organization for an email that had an account); returns the answer.
	 */
	public Response acceptOwnership(String email, String password) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			var messages = TestMailServer.shared().messagesTo(email);
			for (int i = messages.size() - 1; i >= 0; i--) {
				String text = TestMailServer.text(messages.get(i));
				java.util.regex.Matcher link = text == null ? null : OWNERSHIP_LINK.matcher(text);
				if (link != null && link.find()) {
					Response accepted = basic("POST", "/api/v1/ownership-invitations/" + link.group(1) + "/accept", email,
							password, null);
					if (accepted.status() != 410) {
						return accepted;
					}
					break;
				}
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new IllegalStateException("No pending ownership invitation for " + email);
	}

	/** A new domain of the tenant, verified by the operator; returns its name. */
	public String activeDomain(Tenant tenant, String prefix) {
		String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		Response added = bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", name));
		if (added.status() != 201 || operator("POST", "/api/v1/operator/domains/" + added.text("id") + "/mark-verified",
				null).status() != 200) {
			throw new IllegalStateException("Could not add an active domain: " + added.raw().body());
		}
		return name;
	}

	public Response operator(String method, String path, Object body) {
		return send(method, path, body, "Bearer " + OPERATOR_TOKEN, Map.of());
	}

	public Response bearer(String token, String method, String path, Object body) {
		return send(method, path, body, "Bearer " + token, Map.of());
	}

	public Response basic(String method, String path, String email, String password, Object body) {
		String credentials = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
		return send(method, path, body, "Basic " + credentials, Map.of());
	}

	public Response anonymous(String method, String path, Object body) {
		return send(method, path, body, null, Map.of());
	}

	/** Sends {@code body} as JSON (a String is sent as it is, to test malformed input). */
	public Response send(String method, String path, Object body, String authorization, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		headers.forEach(request::header);
		HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
		if (body != null) {
			String text = body instanceof String s ? s : JSON.writeValueAsString(body);
			publisher = HttpRequest.BodyPublishers.ofString(text);
			request.header("Content-Type", "application/json");
		}
		request.method(method, publisher);
		try {
			HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode json = response.body() == null || response.body().isBlank() ? null : parse(response.body());
			return new Response(response.statusCode(), response, json);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static JsonNode parse(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (RuntimeException e) {
			return null;
		}
	}
}
