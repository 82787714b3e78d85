import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.invitation.BulkInvite;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.OrgRole;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Bulk invites on the embedded database with a GreenMail SMTP sink: preview of 500 rows (server
 * time), POST :bulk with 100 items over HTTP next to a plain batched JDBC insert of 100 rows,
 * a 500-recipient wizard send until the sink has accepted every email, and heap/RSS.
 * Run with bench/run BulkInviteBench [rounds].
 */
public class BulkInviteBench {


	public static void main(String[] args) throws Exception {
		run(args);
		// a benchmark is done when it has printed: do not wait for lingering non-daemon threads
		System.exit(0);
	}

	static void run(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
		GreenMail sink = new GreenMail(ServerSetup.SMTP.dynamicPort());
		sink.start();
		try (ConfigurableApplicationContext app = BenchSupport.start("--mailroom.smtp.host=127.0.0.1",
				"--mailroom.smtp.port=" + sink.getSmtp().getPort(), "--mailroom.smtp.starttls=false")) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			String base = tenant.base();
			String key = tenant.key();
			String domainId = tenant.domainId().toString();
			UUID orgId = tenant.orgId();
			UUID ownerId = tenant.ownerId();
			String email = tenant.ownerEmail();
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
				JsonNode sent = BenchSupport.call(base, "POST", "/api/v1/mailboxes/invites:bulk", key,
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

			BenchSupport.report("preview of 500 rows (server time)", preview);
			BenchSupport.report(":bulk with 100 items (HTTP round trip)", bulk);
			BenchSupport.report(":bulk with 100 items (server time, service call)", bulkServer);
			BenchSupport.report("plain batched JDBC insert of 100 rows", jdbc);
			System.out.printf("ratio :bulk server p50 / JDBC p50 = %.1fx%n", BenchSupport.p(bulkServer, 50) / BenchSupport.p(jdbc, 50));
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
}
