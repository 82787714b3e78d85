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

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.MailroomApplication;
import dev.mailroom.invitation.BulkInvite;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.OrgRole;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk invites on the embedded database with a GreenMail SMTP sink: preview of 500 rows (server
 * time), POST :bulk with 100 items over HTTP next to a plain batched JDBC insert of 100 rows,
 * a 500-recipient wizard send until the sink has accepted every email, and heap/RSS.
 * Run with bench/run BulkInviteBench [rounds].
 */
public class BulkInviteBench {

	static final JsonMapper JSON = JsonMapper.builder().build();
	static final HttpClient HTTP = HttpClient.newHttpClient();
	static final String OPERATOR = "bench-operator-token-0123456789";
	static final String PASSWORD = "Bench-owner-pass-77";

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
		GreenMail sink = new GreenMail(ServerSetup.SMTP.dynamicPort());
		sink.start();
		Path dir = Files.createTempDirectory("mailroom-bench");
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailroomApplication.class).run(
				"--server.port=0", "--mailroom.data-dir=" + dir, "--mailroom.operator-token=" + OPERATOR,
				"--logging.level.root=warn", "--logging.structured.format.console=",
				"--mailroom.smtp.host=127.0.0.1", "--mailroom.smtp.port=" + sink.getSmtp().getPort(),
				"--mailroom.smtp.starttls=false")) {
			String base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
			String email = "bench-" + UUID.randomUUID() + "@example.test";
			JsonNode org = call(base, "POST", "/api/v1/operator/organizations", "Bearer " + OPERATOR,
					"{\"name\":\"Bench\",\"plan\":\"agency\",\"owner\":{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"B\"}}");
			UUID orgId = UUID.fromString(org.get("id").asString());
			UUID ownerId = UUID.fromString(org.get("owner_user_id").asString());
			call(base, "PATCH", "/api/v1/operator/organizations/" + orgId, "Bearer " + OPERATOR,
					"{\"limits\":{\"mailboxes_per_domain\":1000000,\"active_mailboxes\":1000000,\"api_calls_per_day\":1000000}}");
			String basic = "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes());
			String key = "Bearer " + call(base, "POST", "/api/v1/api-keys", basic, "{\"organization_id\":\"" + orgId
					+ "\",\"name\":\"bench\",\"scopes\":[\"domains:write\",\"domains:read\",\"mailboxes:write\",\"mailboxes:read\"]}")
				.get("token").asString();
			String domainId = call(base, "POST", "/api/v1/domains", key, "{\"name\":\"bench.example\"}").get("id").asString();
			call(base, "POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", "Bearer " + OPERATOR, null);

			InvitationService invitations = app.getBean(InvitationService.class);
			Actor owner = new Actor(Actor.Kind.USER, ownerId, email, orgId, OrgRole.OWNER, null, null, null, "127.0.0.1");

			long[] preview = new long[rounds];
			for (int r = -3; r < rounds; r++) {
				BulkInvite batch = batch(UUID.fromString(domainId), "p" + r, 500);
				long start = System.nanoTime();
				invitations.preview(owner, batch);
				if (r >= 0) {
					preview[r] = System.nanoTime() - start;
				}
			}

			long[] bulk = new long[rounds];
			for (int r = -3; r < rounds; r++) {
				StringBuilder items = new StringBuilder();
				for (int i = 0; i < 100; i++) {
					items.append(i == 0 ? "" : ",").append("{\"recipient_email\":\"b").append(r + 3).append('x').append(i)
						.append("@people.test\"}");
				}
				long start = System.nanoTime();
				JsonNode sent = call(base, "POST", "/api/v1/mailboxes/invites:bulk", key,
						"{\"domain_id\":\"" + domainId + "\",\"items\":[" + items + "]}");
				long took = System.nanoTime() - start;
				if (sent.get("items").size() != 100) {
					throw new IllegalStateException("bulk failed");
				}
				if (r >= 0) {
					bulk[r] = took;
				}
			}
			long[] bulkServer = new long[rounds];
			for (int r = -3; r < rounds; r++) {
				BulkInvite batch = batch(UUID.fromString(domainId), "s" + r, 100);
				batch = new BulkInvite(batch.domainId(), null, "en", batch.items(), BulkInvite.Source.API);
				long start = System.nanoTime();
				invitations.sendBulk(owner, batch);
				if (r >= 0) {
					bulkServer[r] = System.nanoTime() - start;
				}
			}
			long[] jdbc = jdbcInserts(app.getBean(DataSource.class), orgId, UUID.fromString(domainId), rounds);
			// let the dispatcher drain the emails of the :bulk runs before the wizard measurement
			awaitEmails(sink, 2 * (rounds + 3) * 100, 120_000);

			int before = sink.getReceivedMessages().length;
			long sendStart = System.nanoTime();
			invitations.sendBulk(owner, batch(UUID.fromString(domainId), "w", 500));
			long accepted = awaitEmails(sink, before + 500, 120_000);
			double seconds = (System.nanoTime() - sendStart) / 1e9;

			Runtime runtime = Runtime.getRuntime();
			long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
			String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
				.findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");

			report("preview of 500 rows (server time)", preview);
			report(":bulk with 100 items (HTTP round trip)", bulk);
			report(":bulk with 100 items (server time, service call)", bulkServer);
			report("plain batched JDBC insert of 100 rows", jdbc);
			System.out.printf("ratio :bulk server p50 / JDBC p50 = %.1fx%n", p(bulkServer, 50) / p(jdbc, 50));
			System.out.printf("wizard send of 500 → %d emails accepted by the SMTP sink in %.2f s%n", accepted - before, seconds);
			System.out.printf("heap used %d MB, process %s%n", heapMb, rss);
		}
		finally {
			sink.stop();
		}
	}

	static BulkInvite batch(UUID domainId, String tag, int size) {
		List<BulkInvite.Item> items = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			items.add(new BulkInvite.Item(tag + "-" + i + "@people.test", null, null));
		}
		return new BulkInvite(domainId, null, "en", items, BulkInvite.Source.UPLOAD);
	}

	static long awaitEmails(GreenMail sink, int count, long timeoutMillis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (sink.getReceivedMessages().length < count && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
		return sink.getReceivedMessages().length;
	}

	static long[] jdbcInserts(DataSource dataSource, UUID orgId, UUID domainId, int rounds) throws Exception {
		long[] nanos = new long[rounds];
		try (Connection c = dataSource.getConnection()) {
			try (Statement s = c.createStatement()) {
				s.execute("create temp table scratch_invites (id uuid primary key, org_id uuid, domain_id uuid, recipient text, "
						+ "local_part text, status text, expires_at timestamptz, created_at timestamptz default now())");
			}
			for (int r = -3; r < rounds; r++) {
				long start = System.nanoTime();
				c.setAutoCommit(false);
				try (PreparedStatement insert = c.prepareStatement("insert into scratch_invites (id, org_id, domain_id, "
						+ "recipient, local_part, status, expires_at) values (?, ?, ?, ?, ?, 'pending', now() + interval '30 days')")) {
					for (int i = 0; i < 100; i++) {
						insert.setObject(1, UUID.randomUUID());
						insert.setObject(2, orgId);
						insert.setObject(3, domainId);
						insert.setString(4, "j" + r + "x" + i + "@people.test");
						insert.setString(5, "j" + r + "x" + i);
						insert.addBatch();
					}
					insert.executeBatch();
				}
				c.commit();
				c.setAutoCommit(true);
				if (r >= 0) {
					nanos[r] = System.nanoTime() - start;
				}
			}
		}
		return nanos;
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
		System.out.printf("%-45s p50 %8.1f ms   p95 %8.1f ms   (%d runs)%n", name, p(nanos, 50) / 1e6, p(nanos, 95) / 1e6,
				nanos.length);
	}

}
