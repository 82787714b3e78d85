import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mailroom.identity.LoginService;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/v1/mailboxes:bulk with 100 items against the real app on the embedded database:
 * p50/p95 latency and rows/s, next to a plain batched JDBC insert of 100 similar rows into a
 * scratch table of the same database, and the password hashing alone (100 hashes on every core).
 * Run with bench/run MailboxBulkBench [rounds].
 */
public class MailboxBulkBench {

	static final String PASSWORD = "Bench-mailbox-pass-7";

	public static void main(String[] args) throws Exception {
		run(args);
		// a benchmark is done when it has printed: do not wait for lingering non-daemon threads
		System.exit(0);
	}

	static void run(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
		try (ConfigurableApplicationContext app = BenchSupport.start()) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			String base = tenant.base();
			String key = tenant.key();
			String domainId = tenant.domainId().toString();
			String orgId = tenant.orgId().toString();

			long[] bulk = new long[rounds];
			for (int r = -2; r < rounds; r++) {
				StringBuilder items = new StringBuilder();
				for (int i = 0; i < 100; i++) {
					items.append(i == 0 ? "" : ",").append("{\"local_part\":\"r").append(r + 2).append("u").append(i)
						.append("\",\"password\":\"").append(PASSWORD).append("\"}");
				}
				long start = System.nanoTime();
				JsonNode created = BenchSupport.call(base, "POST", "/api/v1/mailboxes:bulk", key,
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
			BenchSupport.report("mailboxes:bulk, 100 items (HTTP, hashing included)", bulk);
			BenchSupport.report("password hashing alone, 100 Argon2id on all cores", hashing);
			BenchSupport.report("plain batched JDBC insert, 100 rows", jdbc);
			double bulkRows = 100 / (BenchSupport.p(bulk, 50) / 1e9);
			double jdbcRows = 100 / (BenchSupport.p(jdbc, 50) / 1e9);
			System.out.printf("rows/s at p50: bulk %.0f, JDBC %.0f → the API is %.0fx slower than the raw insert;"
					+ " without hashing it would take about %.1f ms%n", bulkRows, jdbcRows, jdbcRows / bulkRows,
					Math.max(0, (BenchSupport.p(bulk, 50) - BenchSupport.p(hashing, 50)) / 1e6));
		}
	}
}
