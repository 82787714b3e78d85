import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.mailroom.identity.Passwords;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The mail plane's directory lookups and IMAP logins at scale, against the real app on the embedded
 * database seeded with 100,000 regular mailboxes (~5% archived or trashed), 2,000 shared mailboxes
 * with 20,000 members and 300 grants across 20 organizations and 100 domains:
 * <ol>
 * <li>the exact queries Dovecot (passdb, master access, userdb) and Postfix (sender_logins,
 * mailboxes, aliases, domains) send, as their own read-only login {@code mailroom_mailplane} with
 * the literal-SQL simple protocol they use: p50/p99 and lookups/s from 1 and 2 client threads, and
 * each query's {@code EXPLAIN (ANALYZE, BUFFERS)}; a sequential scan of mailboxes or users fails
 * the benchmark;</li>
 * <li>IMAP logins per second through the real Dovecot of {@code scripts/mailplane} (on ports of its
 * own, 11xxx) for mailboxes created through the REST API, so their hashes are the app's (Argon2id
 * 19 MiB, t=2, p=1, auth cache off): 1, 2 and 4 client threads, a master login (shared*member),
 * and one wrong password; with the CPU time of Dovecot's auth process per login and how busy the
 * whole machine was (its cores are shared with other work, which the figures must be read with).</li>
 * </ol>
 * The seeded data dir and the mail plane's dir are deleted at the end; the mail plane is stopped
 * even when the benchmark fails.
 * Needs root, Debian's Postfix and Dovecot (scripts/mailplane installs what is missing) and
 * target/mailroom.jar. Run with {@code bench/run MailplaneBench [lookups per thread] [login seconds]}.
 */
public class MailplaneBench {

	static final String SEED_PASSWORD = "Seed-mailbox-pass-9";
	static final String LOGIN_PASSWORD = "Bench-login-Pw-4711";
	static final int ORGS = 20;
	static final int DOMAINS_PER_ORG = 5;
	static final int REGULAR_PER_DOMAIN = 1000;
	static final int SHARED_PER_DOMAIN = 20;
	static final int MEMBERS_PER_SHARED = 10;
	static final int GRANTS = 300;
	static final int DOMAINS = ORGS * DOMAINS_PER_ORG;
	static final int REGULAR = DOMAINS * REGULAR_PER_DOMAIN;
	static final int SHARED = DOMAINS * SHARED_PER_DOMAIN;
	static final int IMAP_MAILBOXES = 20;
	static final int IMAP_PORT = 11143;
	static final Pattern SEQ_SCAN_OF_DIRECTORY = Pattern.compile("Seq Scan on (mailroom\\.)?(mailboxes|users)\\b");

	/** One lookup the mail plane makes: its SQL with {@code %1}/{@code %2} for the keys, and who sends it. */
	record Query(String name, String client, String sql) {
	}

	/** The queries exactly as in src/main/resources/mailplane: %u / %s / %{login_user} filled in by the servers. */
	static final Map<String, Query> QUERIES = new LinkedHashMap<>();

	record Row(String query, int threads, long lookups, double perSecond, double p50, double p99, double hitRate) {
	}

	record Plan(String query, double planningMs, double executionMs, List<String> scans) {
	}

	record Login(String name, int threads, long logins, double perSecond, double p50, double p99, long failures,
			double authCpuMs, double machineBusy) {

		/** The same figures with Dovecot's auth CPU per login and the machine's busy cores over the run. */
		Login with(Cpu before, Cpu after) {
			double seconds = (after.nanos() - before.nanos()) / 1e9;
			long auth = after.dovecot().getOrDefault("auth", 0L) - before.dovecot().getOrDefault("auth", 0L);
			return new Login(name, threads, logins, perSecond, p50, p99, failures, auth / Cpu.TICKS * 1000 / logins,
					(after.machineBusy() - before.machineBusy()) / Cpu.TICKS / seconds);
		}
	}

	public static void main(String[] args) {
		BenchSupport.exitAfter(() -> run(args));
	}

	static void run(String[] args) throws Exception {
		int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
		int loginSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
		List<Row> rows = new ArrayList<>();
		List<Plan> plans = new ArrayList<>();
		List<Login> logins = new ArrayList<>();
		Path dataDirToDelete = null;
		try (ConfigurableApplicationContext app = BenchSupport.start()) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			Path dataDir = Path.of(app.getEnvironment().getRequiredProperty("mailroom.data-dir")).toAbsolutePath();
			dataDirToDelete = dataDir;
			int port = Integer.parseInt(Files.readString(dataDir.resolve("postgres-port")).strip());
			String role = app.getEnvironment().getProperty("mailroom.mailplane.database-role", "mailroom_mailplane");
			String mailplanePassword = Files.readString(dataDir.resolve("mailplane-database-password")).strip();
			String ownerUrl = "jdbc:postgresql://127.0.0.1:" + port + "/mailroom?user=mailroom_owner";
			// libpq's PQexec, as Dovecot and Postfix send their queries: literal SQL, planned every time
			String mailplaneUrl = "jdbc:postgresql://127.0.0.1:" + port + "/mailroom?preferQueryMode=simple";
			System.out.printf("Data dir %s, embedded PostgreSQL on 127.0.0.1:%d, %d cores%n", dataDir, port,
					Runtime.getRuntime().availableProcessors());

			String hash = app.getBean(Passwords.class).hash(SEED_PASSWORD);
			long seedStart = System.nanoTime();
			seed(ownerUrl, hash);
			System.out.printf("Seeded %,d regular + %,d shared mailboxes, %,d members, %d grants in %.1f s (VACUUM ANALYZE included)%n",
					REGULAR, SHARED, SHARED * MEMBERS_PER_SHARED, GRANTS, (System.nanoTime() - seedStart) / 1e9);

			defineQueries();
			Keys keys;
			try (Connection c = mailplaneConnection(mailplaneUrl, role, mailplanePassword)) {
				keys = checkLoginAndLoadKeys(c, role);
				plans.addAll(explainAll(c, keys));
			}
			for (Query q : QUERIES.values()) {
				for (int threads : new int[] { 1, 2 }) {
					rows.add(lookups(mailplaneUrl, role, mailplanePassword, q, keys, threads, lookups));
					Row r = rows.getLast();
					System.out.printf("%-14s %d thread(s): %,8.0f lookups/s  p50 %.3f ms  p99 %.3f ms  hits %.0f%%%n",
							q.name(), threads, r.perSecond(), r.p50(), r.p99(), r.hitRate() * 100);
				}
			}

			logins.addAll(imapLogins(tenant, dataDir, keys, loginSeconds));
		}
		finally {
			// the seeded database is some 300 MB: gone with the benchmark (the app has stopped its PostgreSQL)
			if (dataDirToDelete != null) {
				deleteQuietly(dataDirToDelete);
			}
		}
		summary(lookups, rows, plans, logins);
	}

	// ------------------------------------------------------------------------------------------
	// Seeding: straight SQL as the database owner, one transaction per organization (FORCE RLS)
	// ------------------------------------------------------------------------------------------

	static void seed(String ownerUrl, String hash) throws SQLException {
		try (Connection c = DriverManager.getConnection(ownerUrl)) {
			c.setAutoCommit(false);
			// users have no row-level security: every login first, so grants may name users of any organization
			try (PreparedStatement users = c.prepareStatement("""
					insert into mailroom.users (id, email, name, password_hash, mailbox_login, login_enabled)
					select md5('user-' || n)::uuid, 'u' || n || '@seed' || (n / ?) || '.example', 'U ' || n, ?, true,
					       n % 40 < 38
					from generate_series(0, ? - 1) n
					""")) {
				users.setInt(1, REGULAR_PER_DOMAIN);
				users.setString(2, hash);
				users.setInt(3, REGULAR);
				users.executeUpdate();
			}
			try (PreparedStatement external = c.prepareStatement("""
					insert into mailroom.users (id, email, name, password_hash, mailbox_login, login_enabled)
					select md5('ext-' || k)::uuid, 'x' || k || '@outside.example', 'X ' || k, ?, false, true
					from generate_series(0, ? - 1) k
					union all
					select md5('owner-' || o)::uuid, 'owner' || o || '@owners.example', 'Owner ' || o, ?, false, true
					from generate_series(0, ? - 1) o
					""")) {
				external.setString(1, hash);
				external.setInt(2, GRANTS / 2);
				external.setString(3, hash);
				external.setInt(4, ORGS);
				external.executeUpdate();
			}
			c.commit();
			String[] perOrg = {
					"insert into mailroom.organizations (id, name, plan) values (md5('org-' || :o)::uuid, 'Seed ' || :o, 'agency')",
					"insert into mailroom.memberships (org_id, user_id, role) values (md5('org-' || :o)::uuid, md5('owner-' || :o)::uuid, 'owner')",
					"""
					insert into mailroom.domains (id, org_id, name, status, verification_token, verified_at)
					select md5('dom-' || d)::uuid, md5('org-' || :o)::uuid, 'seed' || d || '.example', 'active', md5('tok-' || d), now()
					from generate_series(:o * %1$d, :o * %1$d + %1$d - 1) d
					""".formatted(DOMAINS_PER_ORG),
					// ~2.5% archived (n % 40 = 39), ~2.5% trashed (n % 40 = 38); a quarter with storage of their own
					"""
					insert into mailroom.mailboxes (id, org_id, domain_id, local_part, address, kind, status,
					    storage_allocation_mb, login_user_id, archived_at, trashed_at, purge_at)
					select md5('mbx-' || n)::uuid, md5('org-' || :o)::uuid, md5('dom-' || (n / %1$d))::uuid, 'u' || n,
					       'u' || n || '@seed' || (n / %1$d) || '.example', 'regular',
					       case n %% 40 when 39 then 'archived' when 38 then 'trashed' else 'active' end,
					       case when n %% 4 = 0 then 1024 end, md5('user-' || n)::uuid,
					       case when n %% 40 = 39 then now() end, case when n %% 40 = 38 then now() end,
					       case when n %% 40 = 38 then now() + interval '30 days' end
					from generate_series(:o * %2$d, :o * %2$d + %2$d - 1) n
					""".formatted(REGULAR_PER_DOMAIN, REGULAR_PER_DOMAIN * DOMAINS_PER_ORG),
					// 2% of the shared mailboxes archived
					"""
					insert into mailroom.mailboxes (id, org_id, domain_id, local_part, address, kind, status, storage_allocation_mb)
					select md5('shared-' || j)::uuid, md5('org-' || :o)::uuid, md5('dom-' || (j / %1$d))::uuid, 's' || j,
					       's' || j || '@seed' || (j / %1$d) || '.example', 'shared',
					       case when j %% 50 = 49 then 'archived' else 'active' end, 2048
					from generate_series(:o * %2$d, :o * %2$d + %2$d - 1) j
					""".formatted(SHARED_PER_DOMAIN, SHARED_PER_DOMAIN * DOMAINS_PER_ORG),
					// 10 members each, regular mailboxes of the same domain (overlapping), 4 of 10 read-only
					"""
					insert into mailroom.shared_members (org_id, shared_mailbox_id, member_mailbox_id, permission)
					select md5('org-' || :o)::uuid, md5('shared-' || j)::uuid,
					       md5('mbx-' || ((j / %1$d) * %2$d + ((j %% %1$d) * 11 + m * 7) %% %2$d))::uuid,
					       case when m %% 3 = 0 then 'read_only' else 'reply' end
					from generate_series(:o * %3$d, :o * %3$d + %3$d - 1) j, generate_series(0, %4$d - 1) m
					""".formatted(SHARED_PER_DOMAIN, REGULAR_PER_DOMAIN, SHARED_PER_DOMAIN * DOMAINS_PER_ORG, MEMBERS_PER_SHARED),
					// grants on regular mailboxes: half to people without a mailbox (passdb's second branch),
					// half to mailbox logins of any organization; some expired, some with an end date
					"""
					insert into mailroom.grants (org_id, mailbox_id, user_id, permission, access_until)
					select md5('org-' || :o)::uuid, md5('mbx-' || ((g * 331) %% %1$d))::uuid,
					       case when g %% 2 = 0 then md5('ext-' || (g / 2))::uuid else md5('user-' || ((g * 977 + 500) %% %1$d))::uuid end,
					       case when g %% 4 < 2 then 'reply' else 'read_only' end,
					       case g %% 10 when 7 then now() - interval '1 day' when 8 then now() + interval '30 days' end
					from generate_series(0, %2$d - 1) g
					where (g * 331) %% %1$d / %3$d = :o
					""".formatted(REGULAR, GRANTS, REGULAR_PER_DOMAIN * DOMAINS_PER_ORG) };
			for (int o = 0; o < ORGS; o++) {
				try (Statement s = c.createStatement()) {
					s.execute("select set_config('mailroom.org_id', md5('org-' || " + o + ")::uuid::text, true)");
					for (String sql : perOrg) {
						s.executeUpdate(sql.replace(":o", Integer.toString(o)));
					}
				}
				c.commit();
			}
			c.setAutoCommit(true);
			try (Statement s = c.createStatement()) {
				s.execute("vacuum (analyze) mailroom.users, mailroom.mailboxes, mailroom.shared_members, mailroom.grants, "
						+ "mailroom.domains, mailroom.organizations, mailroom.memberships");
			}
		}
	}

	// ------------------------------------------------------------------------------------------
	// The lookups
	// ------------------------------------------------------------------------------------------

	static void defineQueries() throws IOException {
		// read the generated config's templates so the benchmark runs what the servers run
		Path dovecot = Path.of("src/main/resources/mailplane/dovecot");
		Path postfix = Path.of("src/main/resources/mailplane/postfix");
		Map<String, String> sql = dovecotQueries(Files.readString(dovecot.resolve("dovecot-sql.conf.ext")));
		Map<String, String> master = dovecotQueries(Files.readString(dovecot.resolve("dovecot-master-sql.conf.ext")));
		String mailDir = "/var/mail/mailroom";
		// Dovecot: %u the user (for the master passdb: the member), %{login_user} the mailbox opened, %s the service
		QUERIES.put("passdb", new Query("passdb", "Dovecot passdb (every IMAP/SMTP login)",
				sql.get("password_query").replace("'%u'", "'%1'").replace("'%s'", "'imap'")));
		// Postfix's SASL through Dovecot: %s = smtp, which adds the people who send with an address grant
		QUERIES.put("passdb_smtp", new Query("passdb_smtp", "Dovecot passdb for Postfix SMTP AUTH (%s = smtp)",
				sql.get("password_query").replace("'%u'", "'%1'").replace("'%s'", "'smtp'")));
		QUERIES.put("master", new Query("master", "Dovecot master passdb (shared*member login)",
				master.get("password_query").replace("'%{login_user}'", "'%1'").replace("'%u'", "'%2'").replace("'%s'", "'imap'")));
		QUERIES.put("userdb", new Query("userdb", "Dovecot userdb (every login and LMTP delivery)",
				sql.get("user_query").replace("{{mail_dir}}", mailDir).replace("'%u'", "'%1'")));
		// Postfix: %s the key looked up
		QUERIES.put("sender_logins", new Query("sender_logins", "Postfix smtpd_sender_login_maps (each submission)",
				postfixQuery(postfix.resolve("pgsql-sender-logins.cf")).replace("'%s'", "'%1'")));
		QUERIES.put("mailboxes", new Query("mailboxes", "Postfix virtual_mailbox_maps (each recipient)",
				postfixQuery(postfix.resolve("pgsql-mailboxes.cf")).replace("'%s'", "'%1'")));
		QUERIES.put("aliases", new Query("aliases", "Postfix virtual_alias_maps (each recipient, 2 forms)",
				postfixQuery(postfix.resolve("pgsql-aliases.cf")).replace("'%s'", "'%1'")));
		QUERIES.put("domains", new Query("domains", "Postfix virtual_mailbox_domains (each recipient)",
				postfixQuery(postfix.resolve("pgsql-domains.cf")).replace("'%s'", "'%1'")));
		for (Query q : QUERIES.values()) {
			if (q.sql().contains("%u") || q.sql().contains("%s") || q.sql().contains("%{") || q.sql().contains("{{")) {
				throw new IllegalStateException("Unfilled variable in " + q.name() + ": " + q.sql());
			}
		}
	}

	/** key = value settings with backslash continuations. */
	static Map<String, String> dovecotQueries(String conf) {
		Map<String, String> settings = new LinkedHashMap<>();
		String joined = conf.replaceAll("\\\\\\r?\\n\\s*", " ");
		for (String line : joined.split("\\r?\\n")) {
			int eq = line.indexOf('=');
			if (!line.startsWith("#") && eq > 0) {
				settings.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
			}
		}
		return settings;
	}

	static String postfixQuery(Path cf) throws IOException {
		return dovecotQueries(Files.readString(cf)).get("query");
	}

	static String fill(Query q, String[] key) {
		String sql = q.sql().replace("'%1'", "'" + key[0].replace("'", "''") + "'");
		return key.length > 1 ? sql.replace("'%2'", "'" + key[1].replace("'", "''") + "'") : sql;
	}

	static Connection mailplaneConnection(String url, String role, String password) throws SQLException {
		return DriverManager.getConnection(url, role, password);
	}

	/** Keys that exist (and some that do not) for each query, from the views themselves. */
	record Keys(List<String[]> accessPairs, List<String[]> memberLogins) {

		String regular(ThreadLocalRandom r) {
			int n = r.nextInt(REGULAR);
			return "u" + n + "@seed" + (n / REGULAR_PER_DOMAIN) + ".example";
		}

		String shared(ThreadLocalRandom r) {
			int j = r.nextInt(SHARED);
			return "s" + j + "@seed" + (j / SHARED_PER_DOMAIN) + ".example";
		}

		String missing(ThreadLocalRandom r) {
			return "nobody" + r.nextInt(1_000_000) + "@seed" + r.nextInt(DOMAINS) + ".example";
		}

		/** Mostly existing keys (archived/trashed ones legitimately return nothing), ~5-10% misses. */
		String[] next(String query, ThreadLocalRandom r) {
			int roll = r.nextInt(100);
			return switch (query) {
				case "passdb", "passdb_smtp" -> new String[] { roll < 90 ? regular(r)
						: roll < 95 ? "x" + r.nextInt(GRANTS / 2) + "@outside.example" : missing(r) };
				case "userdb", "mailboxes" -> new String[] { roll < 85 ? regular(r) : roll < 95 ? shared(r) : missing(r) };
				case "master" -> roll < 80 ? accessPairs.get(r.nextInt(accessPairs.size()))
						: roll < 90 ? new String[] { shared(r), regular(r) }
						: new String[] { missing(r), accessPairs.get(r.nextInt(accessPairs.size()))[1] };
				case "sender_logins" -> new String[] { roll < 60 ? regular(r) : roll < 90 ? shared(r) : missing(r) };
				// Postfix asks virtual_alias_maps for every recipient: mostly mailbox addresses (misses)
				case "aliases" -> new String[] { roll < 50 ? (roll < 25 ? "postmaster" : "abuse") + "@seed" + r.nextInt(DOMAINS) + ".example"
						: regular(r) };
				case "domains" -> new String[] { roll < 95 ? "seed" + r.nextInt(DOMAINS) + ".example" : "elsewhere" + roll + ".example" };
				default -> throw new IllegalArgumentException(query);
			};
		}
	}

	static Keys checkLoginAndLoadKeys(Connection c, String role) throws SQLException {
		try (Statement s = c.createStatement()) {
			try (ResultSet rs = s.executeQuery("select current_user, current_setting('default_transaction_read_only')")) {
				rs.next();
				System.out.printf("Connected as %s (default_transaction_read_only = %s)%n", rs.getString(1), rs.getString(2));
				if (!rs.getString(1).equals(role)) {
					throw new IllegalStateException("Not connected as " + role);
				}
			}
			try {
				s.executeQuery("select 1 from mailroom.mailboxes limit 1").close();
				throw new IllegalStateException(role + " can read mailroom.mailboxes: it should see the views only");
			}
			catch (SQLException expected) {
				System.out.println("  and mailroom.mailboxes gives: " + expected.getMessage().lines().findFirst().orElse(""));
			}
			List<String[]> pairs = new ArrayList<>();
			List<String[]> members = new ArrayList<>();
			try (ResultSet rs = s.executeQuery("select mailbox, login, permission from mailplane.access")) {
				while (rs.next()) {
					String[] pair = { rs.getString(1), rs.getString(2) };
					pairs.add(pair);
					if (pair[0].startsWith("s") && pair[1].startsWith("u")) {
						members.add(pair);
					}
				}
			}
			try (ResultSet rs = s.executeQuery("select (select count(*) from mailplane.passdb), (select count(*) from mailplane.userdb), "
					+ "(select count(*) from mailplane.mailboxes), (select count(*) from mailplane.sender_logins), "
					+ "(select count(*) from mailplane.domains)")) {
				rs.next();
				System.out.printf("Views: passdb %,d rows, userdb %,d, mailboxes %,d, access %,d, sender_logins %,d, domains %,d%n",
						rs.getLong(1), rs.getLong(2), rs.getLong(3), pairs.size(), rs.getLong(4), rs.getLong(5));
			}
			return new Keys(pairs, members);
		}
	}

	static List<Plan> explainAll(Connection c, Keys keys) throws SQLException {
		Map<String, String[]> hitting = new LinkedHashMap<>();
		hitting.put("passdb", new String[] { "u1@seed0.example" });
		hitting.put("passdb_smtp", new String[] { "x0@outside.example" });
		hitting.put("master", keys.memberLogins().getFirst());
		hitting.put("userdb", new String[] { "u1@seed0.example" });
		hitting.put("sender_logins", new String[] { "s0@seed0.example" });
		hitting.put("mailboxes", new String[] { "u1@seed0.example" });
		hitting.put("aliases", new String[] { "u1@seed0.example" });
		hitting.put("domains", new String[] { "seed0.example" });
		List<Plan> plans = new ArrayList<>();
		List<String> violations = new ArrayList<>();
		try (Statement s = c.createStatement()) {
			for (Query q : QUERIES.values()) {
				String sql = fill(q, hitting.get(q.name()));
				// once to warm the caches, then the plan that is shown
				s.executeQuery(sql).close();
				List<String> lines = new ArrayList<>();
				try (ResultSet rs = s.executeQuery("explain (analyze, buffers) " + sql)) {
					while (rs.next()) {
						lines.add(rs.getString(1));
					}
				}
				System.out.println();
				System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + q.name() + " — " + q.client() + ":");
				System.out.println("  " + sql);
				lines.forEach(l -> System.out.println("  | " + l));
				// one plan is noisy on shared cores: the medians of 50 more
				double[] planningTimes = new double[50];
				double[] executionTimes = new double[50];
				for (int i = 0; i < planningTimes.length; i++) {
					List<String> again = new ArrayList<>();
					try (ResultSet rs = s.executeQuery("explain (analyze) " + sql)) {
						while (rs.next()) {
							again.add(rs.getString(1));
						}
					}
					planningTimes[i] = timing(again, "Planning Time");
					executionTimes[i] = timing(again, "Execution Time");
				}
				Arrays.sort(planningTimes);
				Arrays.sort(executionTimes);
				double planning = planningTimes[planningTimes.length / 2];
				double execution = executionTimes[executionTimes.length / 2];
				System.out.printf("  median of 50 more: planning %.3f ms, execution %.3f ms%n", planning, execution);
				List<String> scans = lines.stream()
					.filter(l -> l.contains("Scan"))
					.map(l -> l.strip().replaceFirst("^->\\s*", "").replaceFirst("\\s+\\(cost=.*$", ""))
					.toList();
				plans.add(new Plan(q.name(), planning, execution, scans));
				lines.stream().filter(l -> SEQ_SCAN_OF_DIRECTORY.matcher(l).find())
					.forEach(l -> violations.add(q.name() + ": " + l.strip()));
			}
		}
		System.out.println();
		if (!violations.isEmpty()) {
			throw new IllegalStateException("FAIL: a mail-plane lookup scans a whole directory table:\n  "
					+ String.join("\n  ", violations));
		}
		System.out.println("No sequential scan of mailboxes or users in any plan.");
		return plans;
	}

	static double timing(List<String> lines, String label) {
		return lines.stream()
			.filter(l -> l.startsWith(label))
			.map(l -> Double.parseDouble(l.replaceAll("[^0-9.]", "")))
			.findFirst()
			.orElse(Double.NaN);
	}

	/** Each thread its own connection (like each Dovecot auth / Postfix process), {@code perThread} lookups. */
	static Row lookups(String url, String role, String password, Query q, Keys keys, int threads, int perThread)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Connection> connections = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				connections.add(mailplaneConnection(url, role, password));
			}
			try {
				// warm-up: connections, caches, the JIT
				runLookups(pool, connections, q, keys, Math.min(2_000, perThread));
				long start = System.nanoTime();
				List<long[]> results = runLookups(pool, connections, q, keys, perThread);
				long wall = System.nanoTime() - start;
				long[] all = results.stream().flatMapToLong(r -> Arrays.stream(r, 0, perThread)).toArray();
				long hits = results.stream().mapToLong(r -> r[perThread]).sum();
				return new Row(q.name(), threads, all.length, all.length / (wall / 1e9), BenchSupport.p(all, 50) / 1e6,
						BenchSupport.p(all, 99) / 1e6, hits / (double) all.length);
			}
			finally {
				for (Connection c : connections) {
					c.close();
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Per thread: the latencies of {@code n} lookups, then (at index n) how many returned a row. */
	static List<long[]> runLookups(ExecutorService pool, List<Connection> connections, Query q, Keys keys, int n)
			throws Exception {
		List<Future<long[]>> futures = new ArrayList<>();
		for (Connection c : connections) {
			futures.add(pool.submit(() -> {
				long[] nanos = new long[n + 1];
				ThreadLocalRandom r = ThreadLocalRandom.current();
				try (Statement s = c.createStatement()) {
					for (int i = 0; i < n; i++) {
						String sql = fill(q, keys.next(q.name(), r));
						long start = System.nanoTime();
						boolean hit = false;
						try (ResultSet rs = s.executeQuery(sql)) {
							while (rs.next()) {
								hit = true;
								rs.getString(1);
							}
						}
						nanos[i] = System.nanoTime() - start;
						nanos[n] += hit ? 1 : 0;
					}
				}
				return nanos;
			}));
		}
		List<long[]> results = new ArrayList<>();
		for (Future<long[]> f : futures) {
			results.add(f.get());
		}
		return results;
	}

	// ------------------------------------------------------------------------------------------
	// IMAP logins through the real Dovecot
	// ------------------------------------------------------------------------------------------

	static List<Login> imapLogins(BenchSupport.Tenant tenant, Path dataDir, Keys keys, int seconds) throws Exception {
		List<String> users = new ArrayList<>();
		for (int i = 0; i < IMAP_MAILBOXES; i++) {
			BenchSupport.call(tenant.base(), "POST", "/api/v1/mailboxes", tenant.key(), "{\"domain_id\":\"" + tenant.domainId()
					+ "\",\"local_part\":\"imap" + i + "\",\"password\":\"" + LOGIN_PASSWORD + "\"}");
			users.add("imap" + i + "@bench.example");
		}
		System.out.println("Created " + IMAP_MAILBOXES + " mailboxes through POST /api/v1/mailboxes");

		Path mailplaneDir = Files.createTempDirectory("mailplane-bench");
		Map<String, String> env = new LinkedHashMap<>();
		env.put("MAILROOM_DATA_DIR", dataDir.toString());
		env.put("MAILPLANE_DIR", mailplaneDir.toString());
		env.put("MAILPLANE_IMAP_PORT", Integer.toString(IMAP_PORT));
		env.put("MAILPLANE_SMTP_PORT", "11025");
		env.put("MAILPLANE_SUBMISSION_PORT", "11587");
		env.put("MAILPLANE_PORT_BASE", "11024");
		env.put("MAILROOM_JAR", "target/mailroom.jar");
		List<Login> results = new ArrayList<>();
		try {
			mailplane("start", env, mailplaneDir);
			try {
				Function<Integer, String[]> regular = i -> new String[] { users.get(i % users.size()), LOGIN_PASSWORD };
				// the first login of each mailbox creates its Maildir: not what is measured
				for (int i = 0; i < users.size(); i++) {
					String reply = imapLogin(regular.apply(i)[0], LOGIN_PASSWORD);
					if (!reply.startsWith("a OK")) {
						throw new IllegalStateException("IMAP login of " + users.get(i) + " refused: " + reply);
					}
				}
				for (int threads : new int[] { 1, 2, 4 }) {
					Cpu before = Cpu.sample(mailplaneDir);
					Login login = loginLoop("IMAP LOGIN (regular)", threads, seconds, regular);
					Cpu after = Cpu.sample(mailplaneDir);
					results.add(login.with(before, after));
					print(login);
					after.printSince(before);
				}
				List<String[]> members = keys.memberLogins().stream().limit(IMAP_MAILBOXES).toList();
				Function<Integer, String[]> master = i -> {
					String[] pair = members.get(i % members.size());
					return new String[] { pair[0] + "*" + pair[1], SEED_PASSWORD };
				};
				for (int i = 0; i < members.size(); i++) {
					String[] m = master.apply(i);
					String reply = imapLogin(m[0], m[1]);
					if (!reply.startsWith("a OK")) {
						throw new IllegalStateException("IMAP master login " + m[0] + " refused: " + reply);
					}
				}
				Cpu before = Cpu.sample(mailplaneDir);
				Login login = loginLoop("IMAP LOGIN (shared*member, master)", 1, Math.max(5, seconds * 2 / 3), master);
				Cpu after = Cpu.sample(mailplaneDir);
				results.add(login.with(before, after));
				print(login);
				after.printSince(before);
				// last, so that anvil's penalty for the failure delays nothing that is measured
				long start = System.nanoTime();
				String reply = imapLogin(users.getFirst(), "Wrong-password-123");
				long took = System.nanoTime() - start;
				if (!reply.startsWith("a NO")) {
					throw new IllegalStateException("A wrong password was not refused: " + reply);
				}
				results.add(new Login("IMAP LOGIN, wrong password (1 login)", 1, 1, 1e9 / took, took / 1e6, took / 1e6, 1,
						Double.NaN, Double.NaN));
				System.out.printf("Wrong password: %s after %.0f ms%n", reply, took / 1e6);
				dovecotComplaints(mailplaneDir);
			}
			catch (Exception e) {
				Path log = mailplaneDir.resolve("log/dovecot.log");
				if (Files.exists(log)) {
					System.out.println("Last lines of " + log + ":");
					List<String> lines = Files.readAllLines(log);
					lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> System.out.println("  " + l));
				}
				throw e;
			}
			finally {
				mailplane("stop", env, mailplaneDir);
			}
		}
		finally {
			deleteQuietly(mailplaneDir);
		}
		return results;
	}

	/**
	 * CPU time used so far, in clock ticks (USER_HZ, 100 a second on Linux): the whole machine's busy
	 * time, and each process of this benchmark's Dovecot (children of its master) by title. Processes
	 * that exited (imap-login and imap, one each per login) are in the master's cutime/cstime.
	 */
	record Cpu(long nanos, long machineBusy, Map<String, Long> dovecot) {

		static final double TICKS = 100.0;

		static Cpu sample(Path mailplaneDir) throws IOException {
			long now = System.nanoTime();
			String[] total = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < total.length; i++) {
				busy += i == 4 || i == 5 ? 0 : Long.parseLong(total[i]); // not idle, not iowait
			}
			Map<String, Long> dovecot = new java.util.TreeMap<>();
			String master = Files.readString(mailplaneDir.resolve("run/dovecot/master.pid")).strip();
			try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
				for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
					try {
						String stat = Files.readString(proc.resolve("stat"));
						String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
						// f[0] = state (field 3), f[1] = ppid, f[11..14] = utime, stime, cutime, cstime
						String pid = proc.getFileName().toString();
						if (pid.equals(master)) {
							dovecot.merge("(exited: imap, imap-login, …)", Long.parseLong(f[13]) + Long.parseLong(f[14]), Long::sum);
							dovecot.merge("master", Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
						}
						else if (f[1].equals(master)) {
							String title = Files.readString(proc.resolve("cmdline")).replace('\0', ' ').strip();
							title = title.replaceFirst("^dovecot[^/]*/", "").replaceFirst(":.*$", "").replaceFirst(" \\[.*$", "");
							dovecot.merge(title, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
						}
					}
					catch (IOException | RuntimeException gone) {
						// the process ended while it was read
					}
				}
			}
			return new Cpu(now, busy, dovecot);
		}

		void printSince(Cpu before) {
			double seconds = (nanos - before.nanos) / 1e9;
			StringBuilder line = new StringBuilder(String.format("    CPU over %.0f s, in cores: machine %.2f of %d busy; Dovecot",
					seconds, (machineBusy - before.machineBusy) / TICKS / seconds, Runtime.getRuntime().availableProcessors()));
			dovecot.forEach((name, ticks) -> {
				double cores = (ticks - before.dovecot.getOrDefault(name, 0L)) / TICKS / seconds;
				if (cores >= 0.005) {
					line.append(String.format(" %s %.2f,", name, cores));
				}
			});
			System.out.println(line.substring(0, line.length() - 1));
		}
	}

	/** Warnings and errors Dovecot logged during the benchmark (the wrong password is expected to be there). */
	static void dovecotComplaints(Path mailplaneDir) throws IOException {
		Path log = mailplaneDir.resolve("log/dovecot.log");
		List<String> complaints = Files.readAllLines(log).stream()
			.filter(l -> l.contains("Warning:") || l.contains("Error:") || l.contains("Fatal:") || l.contains("Panic:"))
			.toList();
		System.out.println("Dovecot logged " + complaints.size() + " warning/error lines" + (complaints.isEmpty() ? "" : ", the first ones:"));
		complaints.stream().limit(8).forEach(l -> System.out.println("  " + l));
	}

	static void print(Login l) {
		System.out.printf("%-36s %d thread(s): %6.1f logins/s  p50 %6.1f ms  p99 %6.1f ms  (%d logins, %d failed)%n", l.name(),
				l.threads(), l.perSecond(), l.p50(), l.p99(), l.logins(), l.failures());
	}

	static void mailplane(String command, Map<String, String> env, Path mailplaneDir) throws Exception {
		Path out = Files.createTempFile("mailplane-" + command, ".log");
		ProcessBuilder builder = new ProcessBuilder("scripts/mailplane", command).redirectErrorStream(true)
			.redirectOutput(out.toFile());
		builder.environment().putAll(env);
		Process process = builder.start();
		boolean done = process.waitFor(300, TimeUnit.SECONDS);
		String output = Files.readString(out);
		Files.deleteIfExists(out);
		if (!done) {
			process.destroyForcibly();
			throw new IllegalStateException("scripts/mailplane " + command + " did not finish in 300 s:\n" + output);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("scripts/mailplane " + command + " exited " + process.exitValue() + ":\n" + output);
		}
		System.out.println("scripts/mailplane " + command + " (MAILPLANE_DIR=" + mailplaneDir + "):");
		output.lines().limit(4).forEach(l -> System.out.println("  " + l));
	}

	/** Logins in a loop from {@code threads} clients for {@code seconds}; each login on a new connection. */
	static Login loginLoop(String name, int threads, int seconds, Function<Integer, String[]> credentials) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			long start = System.nanoTime();
			long deadline = start + seconds * 1_000_000_000L;
			List<Future<long[]>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int offset = t * 5;
				futures.add(pool.submit(() -> {
					long[] nanos = new long[1024];
					int n = 0;
					long failures = 0;
					for (int i = offset; System.nanoTime() < deadline; i++) {
						String[] c = credentials.apply(i);
						long begin = System.nanoTime();
						String reply = imapLogin(c[0], c[1]);
						long took = System.nanoTime() - begin;
						if (!reply.startsWith("a OK")) {
							failures++;
							System.out.println("  login failed: " + c[0] + " → " + reply);
							continue;
						}
						if (n + 2 > nanos.length) {
							nanos = Arrays.copyOf(nanos, nanos.length * 2);
						}
						nanos[n++] = took;
					}
					long[] result = Arrays.copyOf(nanos, n + 1);
					result[n] = failures;
					return result;
				}));
			}
			List<long[]> results = new ArrayList<>();
			for (Future<long[]> f : futures) {
				results.add(f.get());
			}
			long wall = System.nanoTime() - start;
			long[] all = results.stream().flatMapToLong(r -> Arrays.stream(r, 0, r.length - 1)).toArray();
			long failures = results.stream().mapToLong(r -> r[r.length - 1]).sum();
			return new Login(name, threads, all.length, all.length / (wall / 1e9), BenchSupport.p(all, 50) / 1e6,
					BenchSupport.p(all, 99) / 1e6, failures, Double.NaN, Double.NaN);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * One IMAP login on a new connection, timed by the caller from connect to the tagged answer: greeting,
	 * {@code a LOGIN}, then LOGOUT. Returns the tagged answer to LOGIN.
	 */
	static String imapLogin(String user, String password) throws IOException {
		try (Socket socket = new Socket()) {
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(30_000);
			socket.connect(new InetSocketAddress("127.0.0.1", IMAP_PORT), 5_000);
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			OutputStream out = socket.getOutputStream();
			String greeting = in.readLine();
			if (greeting == null || !greeting.startsWith("* OK")) {
				throw new IOException("Unexpected IMAP greeting: " + greeting);
			}
			out.write(("a LOGIN \"" + user + "\" \"" + password + "\"\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			String reply = tagged(in, "a ");
			if (reply.startsWith("a OK")) {
				out.write("b LOGOUT\r\n".getBytes(StandardCharsets.UTF_8));
				out.flush();
				tagged(in, "b ");
			}
			return reply;
		}
	}

	static String tagged(BufferedReader in, String tag) throws IOException {
		for (String line; (line = in.readLine()) != null;) {
			if (line.startsWith(tag)) {
				return line;
			}
		}
		throw new IOException("The IMAP server closed the connection before answering " + tag.strip());
	}

	static void deleteQuietly(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ignored) {
			// a temp dir left behind is harmless
		}
	}

	// ------------------------------------------------------------------------------------------

	static void summary(int lookups, List<Row> rows, List<Plan> plans, List<Login> logins) {
		System.out.println();
		System.out.printf("=== Mail plane summary: %,d regular + %,d shared mailboxes, %,d members, %d grants; %d cores (shared) ===%n",
				REGULAR, SHARED, SHARED * MEMBERS_PER_SHARED, GRANTS, Runtime.getRuntime().availableProcessors());
		System.out.printf("View lookups as mailroom_mailplane, literal SQL (simple protocol), %,d lookups per thread:%n", lookups);
		System.out.printf("  %-14s %7s %11s %9s %9s %6s %10s %10s%n", "query", "threads", "lookups/s", "p50 ms", "p99 ms",
				"hits", "plan ms", "exec ms");
		for (Row r : rows) {
			Plan plan = plans.stream().filter(p -> p.query().equals(r.query())).findFirst().orElseThrow();
			System.out.printf("  %-14s %7d %11.0f %9.3f %9.3f %5.0f%% %10.3f %10.3f%n", r.query(), r.threads(), r.perSecond(),
					r.p50(), r.p99(), r.hitRate() * 100, plan.planningMs(), plan.executionMs());
		}
		System.out.println("plan ms / exec ms: medians of 50 EXPLAIN ANALYZE of one hitting key (server side, no network).");
		System.out.println("Scans in each plan:");
		for (Plan p : plans) {
			System.out.println("  " + p.query() + ":");
			p.scans().stream().distinct().forEach(s -> System.out.println("      " + s));
		}
		if (!logins.isEmpty()) {
			System.out.println("IMAP logins through Dovecot (Argon2id 19 MiB t=2 p=1, auth cache off; connect → tagged OK):");
			System.out.printf("  %-38s %7s %9s %9s %9s %8s %14s %13s%n", "login", "threads", "logins/s", "p50 ms", "p99 ms",
					"logins", "auth CPU/login", "machine busy");
			for (Login l : logins) {
				System.out.printf("  %-38s %7d %9.1f %9.1f %9.1f %8d %14s %13s%n", l.name(), l.threads(), l.perSecond(),
						l.p50(), l.p99(), l.logins(), Double.isNaN(l.authCpuMs()) ? "-" : String.format("%.1f ms", l.authCpuMs()),
						Double.isNaN(l.machineBusy()) ? "-" : String.format("%.2f cores", l.machineBusy()));
			}
			System.out.println("  (auth CPU/login: CPU time of Dovecot's single auth process, where the Argon2id hash is verified,");
			System.out.println("   per login; machine busy: all processes on the machine, other work included, out of "
					+ Runtime.getRuntime().availableProcessors() + ")");
		}
	}
}
