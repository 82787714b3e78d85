package dev.mailroom.mailplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.database.DatabaseCoordinates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code mailplane} views as Postfix, Dovecot and the milter see them: connected with plain
 * JDBC as the mail plane's own login, which may read these views and nothing else, in read-only
 * transactions. The directory is made through the REST API as a customer would; the lookups are
 * the very queries of the generated configuration.
 */
@MailroomTest
class MailplaneViewsTests {

	static final String PW = "Sturdy-Plane-Pass-7";
	static final String INSUFFICIENT_PRIVILEGE = "42501";
	static final String READ_ONLY_TRANSACTION = "25006";

	/** One directory for the tests that only read: two organizations, every kind of mailbox and access. */
	record World(TestApi.Tenant a, TestApi.Tenant b, String domain, String pendingDomain, String otherDomain,
			String alice, String bob, String archived, String trashed, String support, String info, String guestReply,
			String guestRead, String carol, Map<String, String> ids) {
	}

	private static World world;

	private final int port;
	private final MailroomSettings settings;
	private final ServerSecrets secrets;
	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;

	@Autowired
	MailplaneViewsTests(@LocalServerPort int port, MailroomSettings settings, ServerSecrets secrets, JdbcClient jdbc,
			TransactionTemplate transactions) {
		this.port = port;
		this.settings = settings;
		this.secrets = secrets;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (world == null) {
			world = buildWorld();
		}
	}

	private World buildWorld() {
		TestApi.Tenant a = api.newTenant("starter");
		TestApi.Tenant b = api.newTenant("starter");
		String domain = api.activeDomain(a, "mp");
		String pending = "mp-pending-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		assertThat(api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", pending)).status()).isEqualTo(201);
		String other = api.activeDomain(b, "mp-b");
		Map<String, String> ids = new HashMap<>();
		String domainId = domainId(a, domain);
		ids.put("alice", mailbox(a, domainId, "alice", 100));
		ids.put("bob", mailbox(a, domainId, "bob", null));
		ids.put("archived", mailbox(a, domainId, "archived", null));
		ids.put("trashed", mailbox(a, domainId, "trashed", 50));
		ids.put("info", mailbox(a, domainId, "info", null));
		ids.put("carol", mailbox(b, domainId(b, other), "carol", null));
		assertThat(api.bearer(a.apiKey(), "PATCH", "/api/v1/mailboxes/" + ids.get("archived"), Map.of("status", "archived"))
			.status()).isEqualTo(200);
		assertThat(api.bearer(a.apiKey(), "DELETE", "/api/v1/mailboxes/" + ids.get("trashed"), null).status()).isEqualTo(204);
		ids.put("support", shared(a, domainId, "support",
				List.of(Map.of("mailbox_id", ids.get("alice")), Map.of("mailbox_id", ids.get("bob"), "permission", "read_only"))));
		String guestReply = guest();
		String guestRead = guest();
		grant(a, ids.get("info"), guestReply, "reply");
		grant(a, ids.get("info"), guestRead, "read_only");
		return new World(a, b, domain, pending, other, "alice@" + domain, "bob@" + domain, "archived@" + domain,
				"trashed@" + domain, "support@" + domain, "info@" + domain, guestReply, guestRead, "carol@" + other, ids);
	}

	// ---- the login ----

	@Test
	void theLoginReadsTheViewsInReadOnlyTransactions() throws SQLException {
		assertThat(settings.mailplane().databaseRole()).isEqualTo("mailroom_mailplane");
		try (Connection connection = mailplane()) {
			assertThat(value(connection, "select current_user")).isEqualTo("mailroom_mailplane");
			assertThat(value(connection, "show default_transaction_read_only")).isEqualTo("on");
			assertThat(value(connection, "select rolsuper::text || rolbypassrls::text from pg_roles where rolname = current_user"))
				.isEqualTo("falsefalse");
			assertThat(value(connection, "select count(*) from mailplane.domains")).isNotEqualTo("0");

			// even what any role may do (a temporary table) is refused: the session is read-only
			assertRefused(connection, READ_ONLY_TRANSACTION, "create temporary table scratch (x int)");
			for (String sql : List.of("update mailplane.domains set domain = domain", "delete from mailplane.domains",
					"insert into mailplane.domains (domain) values ('x.example')")) {
				assertThat(catchSql(connection, sql)).as(sql)
					.isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).as(e.getMessage())
						.isIn(READ_ONLY_TRANSACTION, INSUFFICIENT_PRIVILEGE));
			}
		}
	}

	@Test
	void theLoginCannotWriteEvenWhenItLeavesReadOnlyMode() throws SQLException {
		try (Connection connection = mailplane()) {
			execute(connection, "set default_transaction_read_only = off");
			assertThat(value(connection, "show transaction_read_only")).isEqualTo("off");
			execute(connection, "create temporary table scratch (x int)");
			for (String sql : List.of("update mailplane.domains set domain = domain",
					"delete from mailplane.domains", "create table mailplane.evil (x int)", "create table public.evil (x int)",
					"create schema evil", "set role mailroom_mailplane_views", "set role mailroom_app",
					"select * from mailroom.mailboxes", "update mailroom.users set name = name")) {
				assertRefused(connection, INSUFFICIENT_PRIVILEGE, sql);
			}
		}
	}

	@Test
	void theTablesBehindTheViewsAreOutOfReach() throws SQLException {
		try (Connection connection = mailplane()) {
			for (String table : List.of("mailboxes", "users", "domains", "organizations", "memberships", "grants",
					"shared_members", "api_keys", "audit_events")) {
				Throwable refused = catchSql(connection, "select count(*) from mailroom." + table);
				assertThat(refused).as(table).isInstanceOfSatisfying(SQLException.class, e -> {
					assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
					assertThat(e.getMessage()).contains("permission denied");
				});
			}
			assertThat(strings(connection, """
					select table_name from information_schema.tables
					where table_schema not in ('pg_catalog', 'information_schema') order by 1
					""")).as("everything the login can see").containsExactly("access", "aliases", "domains", "mailboxes",
					"passdb", "sender_logins", "userdb", "webmail_access", "webmail_logins", "webmail_submitters");
		}
	}

	// ---- Dovecot ----

	@Test
	void passdbHasActiveRegularMailboxesWithTheHashTheAppStores() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			List<String> rows = rows(connection, "select \"user\", password, mailbox::text from mailplane.passdb where \"user\" in ("
					+ placeholders(9) + ")", w.alice(), w.bob(), w.archived(), w.trashed(), w.support(), w.info(), w.carol(),
					w.guestReply(), w.guestRead());
			assertThat(rows).containsExactlyInAnyOrder(w.alice() + "|" + storedHash(w.alice()) + "|true",
					w.bob() + "|" + storedHash(w.bob()) + "|true", w.info() + "|" + storedHash(w.info()) + "|true",
					w.carol() + "|" + storedHash(w.carol()) + "|true",
					w.guestReply() + "|" + storedHash(w.guestReply()) + "|false");
			assertThat(storedHash(w.alice())).startsWith("{ARGON2ID}$argon2id$");

			// Dovecot's own query: a mailbox signs in everywhere, a reply grant holder for SMTP only
			String query = dovecot("dovecot/dovecot-sql.conf.ext", "password_query");
			assertThat(rows(connection, query.replace("%u", w.alice()).replace("%s", "imap")))
				.containsExactly(w.alice() + "|" + storedHash(w.alice()));
			assertThat(rows(connection, query.replace("%u", w.guestReply()).replace("%s", "imap"))).isEmpty();
			assertThat(rows(connection, query.replace("%u", w.guestReply()).replace("%s", "smtp")))
				.containsExactly(w.guestReply() + "|" + storedHash(w.guestReply()));
			for (String nobody : List.of(w.support(), w.archived(), w.trashed(), w.guestRead(), "nobody@" + w.domain())) {
				assertThat(rows(connection, query.replace("%u", nobody).replace("%s", "smtp"))).as(nobody).isEmpty();
			}
		}
	}

	@Test
	void userdbHasEveryMailboxWithItsHomeAndQuota() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select \"user\", kind, status, quota_bytes from mailplane.userdb where \"user\" in ("
					+ placeholders(7) + ")", w.alice(), w.bob(), w.archived(), w.trashed(), w.support(), w.info(), w.carol()))
				.containsExactlyInAnyOrder(w.alice() + "|regular|active|104857600", w.bob() + "|regular|active|0",
						w.archived() + "|regular|archived|0", w.trashed() + "|regular|trashed|52428800",
						w.support() + "|shared|active|0", w.info() + "|regular|active|0", w.carol() + "|regular|active|0");
			assertThat(rows(connection, "select \"user\" from mailplane.userdb where \"user\" in (?, ?)", w.guestReply(),
					w.guestRead())).as("a grant holder has no mail of their own").isEmpty();

			String userQuery = dovecot("dovecot/dovecot-sql.conf.ext", "user_query");
			assertThat(rows(connection, userQuery.replace("%u", w.alice())))
				.containsExactly("/srv/vmail/" + w.ids().get("alice") + "|*:bytes=104857600");
			assertThat(rows(connection, userQuery.replace("%u", w.support())))
				.containsExactly("/srv/vmail/" + w.ids().get("support") + "|*:bytes=0");
			assertThat(rows(connection, userQuery.replace("%u", w.trashed()))).as("doveadm can still wipe it").hasSize(1);

			List<String> iterated = rows(connection, dovecot("dovecot/dovecot-sql.conf.ext", "iterate_query"));
			assertThat(iterated).contains(w.alice(), w.bob(), w.support(), w.info(), w.carol())
				.doesNotContain(w.archived(), w.trashed());
		}
	}

	/**
	 * A purged mailbox's row is gone while its mail may still wait for the wipe: userdb finds its
	 * home under a name no address can take, so doveadm can wipe it; nobody signs in or is iterated.
	 */
	@Test
	void userdbFindsTheHomeOfAPurgedMailboxWhoseWipeIsPending() throws Exception {
		UUID purged = UUID.randomUUID();
		inTenant(world.a(), () -> jdbc.sql("""
				insert into mailroom.mail_wipes (mailbox_id, org_id, address, kind) values (:id, :org, :address, 'regular')
				""").param("id", purged).param("org", world.a().orgId()).param("address", "gone@" + world.domain()).update());
		String user = "purged-" + purged;
		try (Connection connection = mailplane()) {
			String userQuery = dovecot("dovecot/dovecot-sql.conf.ext", "user_query");
			assertThat(rows(connection, userQuery.replace("%u", user))).containsExactly("/srv/vmail/" + purged + "|*:bytes=0");
			assertThat(rows(connection, "select \"user\" from mailplane.passdb where \"user\" in (?, ?)", user,
					"gone@" + world.domain())).isEmpty();
			assertThat(rows(connection, dovecot("dovecot/dovecot-sql.conf.ext", "iterate_query"))).doesNotContain(user);
			assertThat(rows(connection, "select \"user\" from mailplane.userdb where \"user\" = ?", "gone@" + world.domain()))
				.as("the address is free for a new mailbox").isEmpty();
		}
		inTenant(world.a(), () -> jdbc.sql("delete from mailroom.mail_wipes where mailbox_id = :id").param("id", purged).update());
	}

	@Test
	void accessListsMembersAndGrantHoldersWithTheirPermission() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select mailbox, login, password, permission from mailplane.access where mailbox in (?, ?)",
					w.support(), w.info())).containsExactlyInAnyOrder(
							w.support() + "|" + w.alice() + "|" + storedHash(w.alice()) + "|reply",
							w.support() + "|" + w.bob() + "|" + storedHash(w.bob()) + "|read_only",
							w.info() + "|" + w.guestReply() + "|" + storedHash(w.guestReply()) + "|reply",
							w.info() + "|" + w.guestRead() + "|" + storedHash(w.guestRead()) + "|read_only");

			// Dovecot's master passdb: "support*alice" with alice's password, IMAP only
			String query = dovecot("dovecot/dovecot-master-sql.conf.ext", "password_query");
			assertThat(rows(connection, master(query, w.support(), w.alice(), "imap")))
				.containsExactly(w.alice() + "|" + storedHash(w.alice()) + "|mp_reply");
			assertThat(rows(connection, master(query, w.support(), w.bob(), "imap")))
				.containsExactly(w.bob() + "|" + storedHash(w.bob()) + "|mp_read_only");
			assertThat(rows(connection, master(query, w.info(), w.guestRead(), "imap")))
				.containsExactly(w.guestRead() + "|" + storedHash(w.guestRead()) + "|mp_read_only");
			assertThat(rows(connection, master(query, w.support(), w.alice(), "smtp"))).as("no SMTP as the team").isEmpty();
			assertThat(rows(connection, master(query, w.info(), w.alice(), "imap"))).as("alice is no member of info").isEmpty();
			assertThat(rows(connection, master(query, w.support(), w.carol(), "imap"))).isEmpty();
		}
	}

	// ---- Postfix and the milter ----

	@Test
	void senderLoginsAreTheOwnAddressReplyMembersAndReplyGrantsNeverReadOnly() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select address, login from mailplane.sender_logins where address in (" + placeholders(7)
					+ ") or login in (?, ?)", w.alice(), w.bob(), w.archived(), w.trashed(), w.support(), w.info(), w.carol(),
					w.guestReply(), w.guestRead())).containsExactlyInAnyOrder(w.alice() + "|" + w.alice(),
							w.bob() + "|" + w.bob(), w.info() + "|" + w.info(), w.carol() + "|" + w.carol(),
							w.support() + "|" + w.alice(), w.info() + "|" + w.guestReply());

			String query = postfix("postfix/pgsql-sender-logins.cf");
			assertThat(rows(connection, query.replace("%s", w.support()))).containsExactly(w.alice());
			assertThat(rows(connection, query.replace("%s", w.info()))).containsExactlyInAnyOrder(w.info(), w.guestReply());
			assertThat(rows(connection, query.replace("%s", w.archived()))).isEmpty();
		}
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		DatabaseCoordinates db = DatabaseCoordinates.of(settings);
		dataSource.setURL("jdbc:postgresql://%s:%d/%s".formatted(db.host(), db.port(), db.database()));
		dataSource.setUser(settings.mailplane().databaseRole());
		dataSource.setPassword(secrets.mailplaneDatabasePassword());
		SenderLoginsView milter = new SenderLoginsView(dataSource);
		assertThat(milter.maySendAs(w.alice(), w.support())).isTrue();
		assertThat(milter.maySendAs(w.alice(), w.alice())).isTrue();
		assertThat(milter.maySendAs(w.guestReply(), w.info())).isTrue();
		assertThat(milter.maySendAs(w.bob(), w.support())).as("read-only member").isFalse();
		assertThat(milter.maySendAs(w.guestRead(), w.info())).as("read-only grant").isFalse();
		assertThat(milter.maySendAs(w.alice(), w.bob())).isFalse();
		assertThat(milter.maySendAs(w.carol(), w.alice())).as("another organization").isFalse();
		assertThat(milter.maySendAs(w.support(), w.support())).as("a shared mailbox never signs in").isFalse();
		assertThat(new FromPolicy(milter).check(w.bob(), List.of("Support <" + w.support() + ">"))).isPresent();
		assertThat(new FromPolicy(milter).check(w.alice(), List.of("Support <" + w.support() + ">"))).isEmpty();
	}

	@Test
	void domainsAndMailboxesAreTheActiveOnes() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select domain, org_id from mailplane.domains where domain in (?, ?, ?)", w.domain(),
					w.pendingDomain(), w.otherDomain())).containsExactlyInAnyOrder(w.domain() + "|" + w.a().orgId(),
							w.otherDomain() + "|" + w.b().orgId());
			assertThat(rows(connection, "select address, kind, local_part, domain, quota_bytes from mailplane.mailboxes "
					+ "where domain in (?, ?, ?)", w.domain(), w.pendingDomain(), w.otherDomain())).containsExactlyInAnyOrder(
							w.alice() + "|regular|alice|" + w.domain() + "|104857600",
							w.bob() + "|regular|bob|" + w.domain() + "|0", w.info() + "|regular|info|" + w.domain() + "|0",
							w.support() + "|shared|support|" + w.domain() + "|0",
							w.carol() + "|regular|carol|" + w.otherDomain() + "|0");

			String domains = postfix("postfix/pgsql-domains.cf");
			assertThat(rows(connection, domains.replace("%s", w.domain()))).containsExactly(w.domain());
			assertThat(rows(connection, domains.replace("%s", w.pendingDomain()))).isEmpty();
			String mailboxes = postfix("postfix/pgsql-mailboxes.cf");
			assertThat(rows(connection, mailboxes.replace("%s", w.support()))).containsExactly(w.support());
			for (String nobody : List.of(w.archived(), w.trashed(), w.guestReply(), "nobody@" + w.domain())) {
				assertThat(rows(connection, mailboxes.replace("%s", nobody))).as(nobody).isEmpty();
			}
		}
	}

	@Test
	void theViewsSeeEveryOrganizationWhileTheAppSeesNoneWithoutATenant() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select address, org_id from mailplane.mailboxes where address in (?, ?)", w.alice(),
					w.carol())).containsExactlyInAnyOrder(w.alice() + "|" + w.a().orgId(), w.carol() + "|" + w.b().orgId());
			assertThat(Long.parseLong(value(connection, "select count(distinct org_id) from mailplane.mailboxes")))
				.isGreaterThanOrEqualTo(2);
		}
		assertThat(jdbc.sql("select count(*) from mailroom.mailboxes where address in (:a, :c)")
			.param("a", w.alice())
			.param("c", w.carol())
			.query(Long.class)
			.single()).as("row-level security still hides the tables from the app").isZero();
		// nor may the app role read the views, which would step around its row-level security
		assertThatThrownBy(() -> jdbc.sql("select count(*) from mailplane.mailboxes").query(Long.class).single())
			.hasStackTraceContaining("permission denied");
	}

	@Test
	void postmasterAndAbuseReachTheOrganizationsOwner() throws Exception {
		World w = world;
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select address, local_part, domain, destination from mailplane.aliases "
					+ "where domain in (?, ?, ?)", w.domain(), w.pendingDomain(), w.otherDomain())).containsExactlyInAnyOrder(
							"postmaster@" + w.domain() + "|postmaster|" + w.domain() + "|" + w.a().ownerEmail(),
							"abuse@" + w.domain() + "|abuse|" + w.domain() + "|" + w.a().ownerEmail(),
							"postmaster@" + w.otherDomain() + "|postmaster|" + w.otherDomain() + "|" + w.b().ownerEmail(),
							"abuse@" + w.otherDomain() + "|abuse|" + w.otherDomain() + "|" + w.b().ownerEmail());

			String query = postfix("postfix/pgsql-aliases.cf");
			assertThat(rows(connection, query.replace("%u", "postmaster").replace("%d", w.domain())))
				.containsExactly(w.a().ownerEmail());
			assertThat(rows(connection, query.replace("%u", "abuse").replace("%d", w.otherDomain())))
				.containsExactly(w.b().ownerEmail());
			assertThat(rows(connection, query.replace("%u", "postmaster").replace("%d", w.pendingDomain()))).isEmpty();
			assertThat(rows(connection, query.replace("%u", "alice").replace("%d", w.domain()))).isEmpty();
		}
	}

	/**
	 * A mailbox of that name takes the role address over. Role names are reserved unless the
	 * operator allows them (not in this shared context), so the mailbox is renamed in the database.
	 */
	@Test
	void aMailboxNamedPostmasterTakesTheAliasOver() throws Exception {
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "mp-pm");
		String id = mailbox(tenant, domainId(tenant, domain), "pm", null);
		inTenant(tenant, () -> assertThat(jdbc
			.sql("update mailroom.mailboxes set local_part = 'postmaster', address = :address where id = :id")
			.param("address", "postmaster@" + domain)
			.param("id", UUID.fromString(id))
			.update()).isEqualTo(1));
		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select address, destination from mailplane.aliases where domain = ?", domain))
				.containsExactly("abuse@" + domain + "|" + tenant.ownerEmail());
			assertThat(rows(connection, "select address from mailplane.mailboxes where domain = ?", domain))
				.containsExactly("postmaster@" + domain);
		}
	}

	// ---- access that ends ----

	@Test
	void accessAndSendingEndWithTheMembershipOrTheGrant() throws Exception {
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "mp-end");
		String domainId = domainId(tenant, domain);
		String dan = mailbox(tenant, domainId, "dan", null);
		String eve = mailbox(tenant, domainId, "eve", null);
		String team = shared(tenant, domainId, "team", List.of(Map.of("mailbox_id", dan), Map.of("mailbox_id", eve)));
		String sales = mailbox(tenant, domainId, "sales", null);
		String revoked = guest();
		String expiring = guest();
		String kept = guest();
		String revokedId = grant(tenant, sales, revoked, "reply");
		grant(tenant, sales, expiring, "reply", Instant.now().plusSeconds(3600).toString());
		grant(tenant, sales, kept, "read_only");
		String teamAddress = "team@" + domain;
		String salesAddress = "sales@" + domain;

		try (Connection connection = mailplane()) {
			assertThat(rows(connection, "select login, permission from mailplane.access where mailbox = ?", teamAddress))
				.containsExactlyInAnyOrder("dan@" + domain + "|reply", "eve@" + domain + "|reply");
			assertThat(rows(connection, "select login, permission from mailplane.access where mailbox = ?", salesAddress))
				.containsExactlyInAnyOrder(revoked + "|reply", expiring + "|reply", kept + "|read_only");
			assertThat(rows(connection, "select \"user\" from mailplane.passdb where \"user\" in (?, ?, ?)", revoked,
					expiring, kept)).containsExactlyInAnyOrder(revoked, expiring);

			assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + team + "/members/" + eve, null).status())
				.isEqualTo(204);
			assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + team + "/members/" + dan,
					Map.of("permission", "read_only")).status()).isEqualTo(200);
			assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + sales + "/grants/" + revokedId, null)
				.status()).isEqualTo(204);
			inTenant(tenant, () -> jdbc
				.sql("update mailroom.grants set access_until = now() - interval '1 second' where mailbox_id = :m "
						+ "and user_id = (select id from mailroom.users where email = :e)")
				.param("m", UUID.fromString(sales))
				.param("e", expiring)
				.update());

			assertThat(rows(connection, "select login, permission from mailplane.access where mailbox = ?", teamAddress))
				.containsExactly("dan@" + domain + "|read_only");
			assertThat(rows(connection, "select login from mailplane.sender_logins where address = ?", teamAddress))
				.as("a read-only member no longer sends as the team").isEmpty();
			assertThat(rows(connection, "select login, permission from mailplane.access where mailbox = ?", salesAddress))
				.containsExactly(kept + "|read_only");
			assertThat(rows(connection, "select login from mailplane.sender_logins where address = ?", salesAddress))
				.containsExactly(salesAddress);
			assertThat(rows(connection, "select \"user\" from mailplane.passdb where \"user\" in (?, ?, ?)", revoked,
					expiring, kept)).as("no reply grant left, no SMTP login left").isEmpty();

			// a member whose own mailbox is archived opens nothing; the shared mailbox archived is opened by no one
			assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + dan, Map.of("status", "archived"))
				.status()).isEqualTo(200);
			assertThat(rows(connection, "select login from mailplane.access where mailbox = ?", teamAddress)).isEmpty();
			assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + sales, Map.of("status", "archived"))
				.status()).isEqualTo(200);
			assertThat(rows(connection, "select login from mailplane.access where mailbox = ?", salesAddress)).isEmpty();
			assertThat(rows(connection, "select address from mailplane.sender_logins where address = ?", salesAddress))
				.isEmpty();
		}
	}

	// ---- helpers: the directory through the API ----

	private String domainId(TestApi.Tenant tenant, String name) {
		var domains = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items");
		for (var d : domains) {
			if (d.get("name").asString().equals(name)) {
				return d.get("id").asString();
			}
		}
		throw new IllegalStateException("No domain " + name);
	}

	private String mailbox(TestApi.Tenant tenant, String domainId, String localPart, Integer allocationMb) {
		Map<String, Object> body = new HashMap<>(Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		if (allocationMb != null) {
			body.put("storage_allocation_mb", allocationMb);
		}
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", body);
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	private String shared(TestApi.Tenant tenant, String domainId, String localPart, List<Map<String, Object>> members) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "display_name", "Team", "members", members));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.text("id");
	}

	private String guest() {
		String email = "mp-guest-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		api.signUpVerified(email, PW, "Guest");
		return email;
	}

	/** An address-access invite to {@code email}, accepted by them; returns their user id. */
	private String grant(TestApi.Tenant tenant, String mailboxId, String email, String permission, String... accessUntil) {
		// the address's own password: sharing a person's mailbox needs it (a shared one ignores it)
		Map<String, Object> body = new HashMap<>(Map.of("recipient_email", email, "permission", permission,
				"mailbox_password", PW));
		if (accessUntil.length > 0) {
			body.put("access_until", accessUntil[0]);
		}
		var sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites", body);
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		String link = sent.text("link");
		var accepted = api.basic("POST", "/api/v1/invitations/" + link.substring(link.lastIndexOf('/') + 1) + "/accept",
				email, PW, Map.of());
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
		for (var g : api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json()
			.get("items")) {
			if (g.get("email").asString().equals(email)) {
				return g.get("user_id").asString();
			}
		}
		throw new IllegalStateException("No grant for " + email);
	}

	private void inTenant(TestApi.Tenant tenant, Runnable work) {
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class)
				.single();
			work.run();
		});
	}

	/** The password hash the app keeps for the login (users has no row-level security). */
	private String storedHash(String email) {
		return jdbc.sql("select password_hash from mailroom.users where email = :e").param("e", email)
			.query(String.class)
			.single();
	}

	// ---- helpers: the generated configuration's queries ----

	private MailplaneConfigWriter writer() {
		MailplaneOptions options = MailplaneOptions.parse(new String[] { "--out",
				Path.of(System.getProperty("java.io.tmpdir"), "mailplane-views-test").toString(), "--listen", "127.0.0.1",
				"--mail-dir", "/srv/vmail" });
		return new MailplaneConfigWriter(options, DatabaseCoordinates.of(settings), settings.mailplane().databaseRole(),
				secrets.mailplaneDatabasePassword(), secrets.doveadmApiKey());
	}

	/** A setting of a rendered Dovecot file, its continuation lines joined. */
	private String dovecot(String template, String setting) throws IOException {
		String text = writer().render(template, "/etc/mailroom/dovecot").replaceAll("\\\\\\n\\s*", " ");
		return text.lines()
			.filter(l -> l.startsWith(setting + " = "))
			.map(l -> l.substring(setting.length() + 3).strip())
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + setting + " in " + template));
	}

	/** The query of a rendered Postfix map. */
	private String postfix(String template) throws IOException {
		String text = writer().render(template, "/etc/mailroom/postfix");
		assertThat(text).contains("user = " + settings.mailplane().databaseRole())
			.contains("password = " + secrets.mailplaneDatabasePassword());
		return dovecot(template, "query");
	}

	private static String master(String query, String mailbox, String login, String service) {
		return query.replace("%{login_user}", mailbox).replace("%u", login).replace("%s", service);
	}

	// ---- helpers: JDBC as the mail plane ----

	private Connection mailplane() throws SQLException {
		DatabaseCoordinates db = DatabaseCoordinates.of(settings);
		return DriverManager.getConnection("jdbc:postgresql://%s:%d/%s".formatted(db.host(), db.port(), db.database()),
				settings.mailplane().databaseRole(), secrets.mailplaneDatabasePassword());
	}

	private static String placeholders(int count) {
		return String.join(", ", java.util.Collections.nCopies(count, "?"));
	}

	/** Each row as its columns joined with "|". */
	private static List<String> rows(Connection connection, String sql, Object... parameters) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				int columns = result.getMetaData().getColumnCount();
				while (result.next()) {
					List<String> values = new ArrayList<>();
					for (int c = 1; c <= columns; c++) {
						values.add(result.getString(c));
					}
					rows.add(String.join("|", values));
				}
			}
		}
		return rows;
	}

	private static List<String> strings(Connection connection, String sql) throws SQLException {
		return rows(connection, sql);
	}

	private static String value(Connection connection, String sql) throws SQLException {
		List<String> rows = rows(connection, sql);
		assertThat(rows).as(sql).hasSize(1);
		return rows.getFirst();
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static Throwable catchSql(Connection connection, String sql) {
		try {
			execute(connection, sql);
			return null;
		}
		catch (SQLException e) {
			return e;
		}
	}

	private static void assertRefused(Connection connection, String sqlState, String sql) {
		assertThat(catchSql(connection, sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
				e -> assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isEqualTo(sqlState));
	}
}
