import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mailroom.MailroomApplication;
import dev.mailroom.identity.LoginService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * POST /api/v1/mailboxes:bulk with 100 items against the real app on the embedded database:
 * p50/p95 latency and rows/s, next to a plain batched JDBC insert of 100 similar rows into a
 * scratch table of the same database, and the password hashing alone (100 hashes on every core).
 * Run with bench/run MailboxBulkBench [rounds].
 */
public class MailboxBulkBench {

	static final JsonMapper JSON = JsonMapper.builder().build();
	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final String OPERATOR = "bench-operator-token-0123456789";
	static final String PASSWORD = "Bench-mailbox-pass-7";

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
		Path dir = Files.createTempDirectory("mailroom-bench");
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailroomApplication.class).run(
				"--server.port=0", "--mailroom.data-dir=" + dir, "--mailroom.operator-token=" + OPERATOR,
				"--logging.level.root=warn", "--logging.structured.format.console=")) {
			String base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
			String email = "bench-" + UUID.randomUUID() + "@example.test";
			JsonNode org = call(base, "POST", "/api/v1/operator/organizations", "Bearer " + OPERATOR,
					"{\"name\":\"Bench\",\"plan\":\"agency\",\"owner\":{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"B\"}}");
			String orgId = org.get("id").asString();
			call(base, "PATCH", "/api/v1/operator/organizations/" + orgId, "Bearer " + OPERATOR,
					"{\"limits\":{\"mailboxes_per_domain\":1000000,\"active_mailboxes\":1000000,\"api_calls_per_day\":1000000}}");
			String basic = "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes());
			String key = "Bearer " + call(base, "POST", "/api/v1/api-keys", basic,
					"{\"organization_id\":\"" + orgId + "\",\"name\":\"bench\",\"scopes\":[\"domains:write\",\"domains:read\",\"mailboxes:write\",\"mailboxes:read\"]}")
				.get("token").asString();
			String domainId = call(base, "POST", "/api/v1/domains", key, "{\"name\":\"bench.example\"}").get("id").asString();
			call(base, "POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", "Bearer " + OPERATOR, null);

			long[] bulk = new long[rounds];
			for (int r = -2; r < rounds; r++) {
				StringBuilder items = new StringBuilder();
				for (int i = 0; i < 100; i++) {
					items.append(i == 0 ? "" : ",").append("{\"local_part\":\"r").append(r + 2).append("u").append(i)
						.append("\",\"password\":\"").append(PASSWORD).append("\"}");
				}
				long start = System.nanoTime();
				JsonNode created = call(base, "POST", "/api/v1/mailboxes:bulk", key,
						"{\"domain_id\":\"" + domainId + "\",\"items\":[" + items + "]}");
				long took = System.nanoTime() - start;
				if (created.get("items").size() != 100) {
					throw new IllegalStateException("bulk create failed: " + created);
				}
				if (r >= 0) {
					bulk[r] = took;
				}
			}

			LoginService logins = app.getBean(LoginService.class);
			List<String> passwords = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				passwords.add(PASSWORD);
			}
			long[] hashing = new long[Math.max(3, rounds / 3)];
			for (int r = -1; r < hashing.length; r++) {
				long start = System.nanoTime();
				logins.hashAll(passwords);
				if (r >= 0) {
					hashing[r] = System.nanoTime() - start;
				}
			}

			DataSource dataSource = app.getBean(DataSource.class);
			long[] jdbc = new long[rounds];
			try (Connection c = dataSource.getConnection()) {
				try (Statement s = c.createStatement()) {
					s.execute("create temp table scratch (id uuid primary key, org_id uuid, domain_id uuid, local_part text, "
							+ "address text unique, kind text, status text, password_hash text, created_at timestamptz default now())");
				}
				String hash = "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
				for (int r = -2; r < rounds; r++) {
					long start = System.nanoTime();
					c.setAutoCommit(false);
					try (PreparedStatement insert = c.prepareStatement(
							"insert into scratch (id, org_id, domain_id, local_part, address, kind, status, password_hash) values (?, ?, ?, ?, ?, 'regular', 'active', ?)")) {
						for (int i = 0; i < 100; i++) {
							UUID id = UUID.randomUUID();
							insert.setObject(1, id);
							insert.setObject(2, UUID.fromString(orgId));
							insert.setObject(3, UUID.fromString(domainId));
							insert.setString(4, "u" + i);
							insert.setString(5, id + "@bench.example");
							insert.setString(6, hash);
							insert.addBatch();
						}
						insert.executeBatch();
					}
					c.commit();
					c.setAutoCommit(true);
					if (r >= 0) {
						jdbc[r] = System.nanoTime() - start;
					}
				}
			}
			report("mailboxes:bulk, 100 items (HTTP, hashing included)", bulk);
			report("password hashing alone, 100 Argon2id on all cores", hashing);
			report("plain batched JDBC insert, 100 rows", jdbc);
			double bulkRows = 100 / (p(bulk, 50) / 1e9);
			double jdbcRows = 100 / (p(jdbc, 50) / 1e9);
			System.out.printf("rows/s at p50: bulk %.0f, JDBC %.0f → the API is %.0fx slower than the raw insert;"
					+ " without hashing it would take about %.1f ms%n", bulkRows, jdbcRows, jdbcRows / bulkRows,
					Math.max(0, (p(bulk, 50) - p(hashing, 50)) / 1e6));
		}
	}

	static JsonNode call(String base, String method, String path, String auth, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth);
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
		System.out.printf("%-55s p50 %8.1f ms   p95 %8.1f ms   (%d runs)%n", name, p(nanos, 50) / 1e6, p(nanos, 95) / 1e6,
				nanos.length);
	}
}
