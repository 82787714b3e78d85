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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mailroom.MailroomApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Setup-invite redemptions per second on this machine, password hashing included: N invites are
 * sent through the API, then their links are accepted through POST /api/v1/invitations/{token}/accept
 * by C concurrent clients. Prints accepts/s and latency percentiles.
 * Run with bench/run InviteAcceptBench [invites] [clients].
 */
public class InviteAcceptBench {

	static final JsonMapper JSON = JsonMapper.builder().build();
	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final String OPERATOR = "bench-operator-token-0123456789";
	static final String PASSWORD = "Bench-invitee-pass-7";

	public static void main(String[] args) throws Exception {
		int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		Path dir = Files.createTempDirectory("mailroom-bench");
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailroomApplication.class).run(
				"--server.port=0", "--mailroom.data-dir=" + dir, "--mailroom.operator-token=" + OPERATOR,
				"--logging.level.root=warn", "--logging.structured.format.console=",
				"--mailroom.rate-limits.invitation-client=1000000")) {
			String base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
			String email = "bench-" + UUID.randomUUID() + "@example.test";
			String orgId = call(base, "POST", "/api/v1/operator/organizations", "Bearer " + OPERATOR,
					"{\"name\":\"Bench\",\"plan\":\"agency\",\"owner\":{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"B\"}}")
				.get("id").asString();
			call(base, "PATCH", "/api/v1/operator/organizations/" + orgId, "Bearer " + OPERATOR,
					"{\"limits\":{\"mailboxes_per_domain\":1000000,\"active_mailboxes\":1000000,\"api_calls_per_day\":1000000}}");
			String basic = "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes());
			String key = "Bearer " + call(base, "POST", "/api/v1/api-keys", basic,
					"{\"organization_id\":\"" + orgId + "\",\"name\":\"bench\",\"scopes\":[\"domains:write\",\"domains:read\",\"mailboxes:write\",\"mailboxes:read\"]}")
				.get("token").asString();
			String domainId = call(base, "POST", "/api/v1/domains", key, "{\"name\":\"bench.example\"}").get("id").asString();
			call(base, "POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", "Bearer " + OPERATOR, null);

			List<String> tokens = new ArrayList<>();
			for (int i = 0; i < count + 10; i++) {
				String link = call(base, "POST", "/api/v1/mailboxes/invites", key, "{\"domain_id\":\"" + domainId
						+ "\",\"recipient_email\":\"p" + i + "@people.test\"}").get("link").asString();
				tokens.add(link.substring(link.lastIndexOf('/') + 1));
			}
			for (int i = 0; i < 10; i++) {
				accept(base, tokens.get(count + i), "warm" + i);
			}
			long[] latencies = new long[count];
			long start = System.nanoTime();
			try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
				List<Future<?>> futures = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					int index = i;
					futures.add(pool.submit(() -> {
						long t = System.nanoTime();
						accept(base, tokens.get(index), "user" + index);
						latencies[index] = System.nanoTime() - t;
						return null;
					}));
				}
				for (Future<?> f : futures) {
					f.get();
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			Arrays.sort(latencies);
			System.out.printf("%d accepts with %d concurrent clients in %.2f s: %.1f accepts/s; latency p50 %.1f ms, p95 %.1f ms%n",
					count, clients, seconds, count / seconds, latencies[count / 2] / 1e6,
					latencies[(int) (count * 0.95)] / 1e6);
		}
	}

	static void accept(String base, String token, String localPart) throws Exception {
		call(base, "POST", "/api/v1/invitations/" + token + "/accept", null,
				"{\"local_part\":\"" + localPart + "\",\"password\":\"" + PASSWORD + "\"}");
	}

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
}
