import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.mailroom.MailroomApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every benchmark needs: the real app on a throw-away embedded database, a tenant on the
 * agency plan with raised limits, an API key and an active domain, and percentile reports.
 * (The source launcher compiles this file with the benchmark that uses it.)
 */
final class BenchSupport {

	static final JsonMapper JSON = JsonMapper.builder().build();
	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final String OPERATOR = "bench-operator-token-0123456789-abcdef";
	static final String PASSWORD = "Bench-owner-pass-77";

	/** A tenant ready for work: ids, its owner's credentials, an API key and an active domain. */
	record Tenant(String base, UUID orgId, UUID ownerId, String ownerEmail, String key, UUID domainId) {
	}

	private BenchSupport() {
	}

	static ConfigurableApplicationContext start(String... extraArgs) throws Exception {
		Path dir = Files.createTempDirectory("mailroom-bench");
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--mailroom.data-dir=" + dir,
				"--mailroom.operator-token=" + OPERATOR, "--logging.level.root=warn", "--logging.structured.format.console=",
				"--mailroom.rate-limits.invitation-client=1000000"));
		args.addAll(Arrays.asList(extraArgs));
		return new SpringApplicationBuilder(MailroomApplication.class).run(args.toArray(String[]::new));
	}

	static Tenant tenant(ConfigurableApplicationContext app) throws Exception {
		String base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
		String email = "bench-" + UUID.randomUUID() + "@example.test";
		JsonNode org = call(base, "POST", "/api/v1/operator/organizations", "Bearer " + OPERATOR,
				"{\"name\":\"Bench\",\"plan\":\"agency\",\"owner\":{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
						+ "\",\"name\":\"B\"}}");
		String orgId = org.get("id").asString();
		call(base, "PATCH", "/api/v1/operator/organizations/" + orgId, "Bearer " + OPERATOR,
				"{\"limits\":{\"mailboxes_per_domain\":1000000,\"active_mailboxes\":1000000,\"api_calls_per_day\":1000000}}");
		String basic = "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes());
		String key = "Bearer " + call(base, "POST", "/api/v1/api-keys", basic, "{\"organization_id\":\"" + orgId
				+ "\",\"name\":\"bench\",\"scopes\":[\"domains:write\",\"domains:read\",\"mailboxes:write\",\"mailboxes:read\"]}")
			.get("token").asString();
		String domainId = call(base, "POST", "/api/v1/domains", key, "{\"name\":\"bench.example\"}").get("id").asString();
		call(base, "POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", "Bearer " + OPERATOR, null);
		return new Tenant(base, UUID.fromString(orgId), UUID.fromString(org.get("owner_user_id").asString()), email, key,
				UUID.fromString(domainId));
	}

	/** A JSON call that must succeed. {@code auth} may be null. */
	static JsonNode call(String base, String method, String path, String auth, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
		if (auth != null) {
			request.header("Authorization", auth);
		}
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
		}
		return JSON.readTree(response.body());
	}

	static double p(long[] nanos, int percentile) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
	}

	static void report(String name, long[] nanos) {
		System.out.printf("%-55s p50 %8.1f ms   p95 %8.1f ms   (%d runs)%n", name, p(nanos, 50) / 1e6,
				p(nanos, 95) / 1e6, nanos.length);
	}

	/** A benchmark's body. */
	interface Body {

		void run() throws Exception;
	}

	/**
	 * Runs a benchmark and exits, 1 with the stack trace when it fails: a benchmark is done when it
	 * has printed, whatever non-daemon threads linger.
	 */
	static void exitAfter(Body body) {
		int code = 0;
		try {
			body.run();
		}
		catch (Throwable e) {
			e.printStackTrace();
			code = 1;
		}
		System.exit(code);
	}
}
