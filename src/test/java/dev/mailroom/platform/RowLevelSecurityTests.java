package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Row-level security as the application's own connections see it: the pool connects as the
 * application role, which owns nothing and cannot bypass RLS, so a query outside a tenant's
 * transaction-local setting sees nothing and a write for another tenant is refused by the
 * database itself.
 */
@MailroomTest
class RowLevelSecurityTests {

	private static final List<String> TENANT_TABLES = List.of("domains", "organizations", "audit_events", "api_keys");
	private static final String INSUFFICIENT_PRIVILEGE = "42501";

	private static Tenant a;
	private static Tenant b;
	private static UUID aDomain;
	private static UUID bDomain;

	@Autowired
	DataSource dataSource;

	@LocalServerPort
	int port;

	@BeforeEach
	void setUp() {
		if (a == null) {
			TestApi api = new TestApi(port);
			a = api.newTenant("starter");
			b = api.newTenant("starter");
			aDomain = api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", "rls-" + UUID.randomUUID() + ".example"))
				.id("id");
			bDomain = api.bearer(b.apiKey(), "POST", "/api/v1/domains", Map.of("name", "rls-" + UUID.randomUUID() + ".example"))
				.id("id");
		}
	}

	@Test
	void seesNoRowsWithoutATenantEvenThoughRowsExist() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			assertThat(connection.getAutoCommit()).isTrue();
			for (String table : TENANT_TABLES) {
				assertThat(count(connection, "select count(*) from mailroom." + table)).as(table).isZero();
			}
			connection.setAutoCommit(false);
			setOrg(connection, a.orgId());
			for (String table : TENANT_TABLES) {
				assertThat(count(connection, "select count(*) from mailroom." + table)).as("%s for A", table).isPositive();
			}
			connection.rollback();
			connection.setAutoCommit(true);
		}
	}

	@Test
	void aTransactionSeesOnlyItsTenantsRowsAndCannotWriteAnothers() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			setOrg(connection, a.orgId());

			for (String table : List.of("domains", "audit_events", "api_keys")) {
				assertThat(uuids(connection, "select org_id from mailroom." + table)).as(table)
					.isNotEmpty()
					.containsOnly(a.orgId());
			}
			assertThat(uuids(connection, "select id from mailroom.organizations")).containsExactly(a.orgId());
			assertThat(uuids(connection, "select id from mailroom.domains")).contains(aDomain).doesNotContain(bDomain);

			assertRefused(connection, () -> insertDomain(connection, b.orgId()));
			assertRefused(connection, () -> update(connection,
					"insert into mailroom.audit_events (id, org_id, actor, action) values (?, ?, 'test', 'test.forged')",
					UUID.randomUUID(), b.orgId()));
			assertRefused(connection,
					() -> update(connection, "update mailroom.domains set org_id = ? where id = ?", b.orgId(), aDomain));
			assertThat(update(connection, "update mailroom.domains set status = 'active' where id = ?", bDomain))
				.as("another tenant's row cannot even be found to update")
				.isZero();
			assertThat(update(connection, "delete from mailroom.domains where id = ?", bDomain)).isZero();
			assertThat(insertDomain(connection, a.orgId())).as("the tenant's own insert works").isEqualTo(1);
			connection.rollback();
		}
		assertThat(stillPendingForB(bDomain)).as("B's domain is untouched").isTrue();
	}

	@Test
	void operatorModeReadsEveryTenantButWritesNone() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			query(connection, "select set_config('mailroom.operator', 'on', true)");
			assertThat(uuids(connection, "select id from mailroom.domains")).contains(aDomain, bDomain);
			assertThat(uuids(connection, "select id from mailroom.organizations")).contains(a.orgId(), b.orgId());
			assertThat(count(connection, "select count(*) from mailroom.api_keys")).isZero();
			assertRefused(connection, () -> insertDomain(connection, b.orgId()));
			assertThat(update(connection, "update mailroom.domains set status = 'active' where id = ?", bDomain)).isZero();
			connection.rollback();
		}
	}

	@Test
	void theSettingDiesWithTheTransactionOnThePooledConnection() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			int backend = (int) count(connection, "select pg_backend_pid()");
			connection.setAutoCommit(false);
			setOrg(connection, a.orgId());
			assertThat(query(connection, "select current_setting('mailroom.org_id', true)")).isEqualTo(a.orgId().toString());
			assertThat(count(connection, "select count(*) from mailroom.domains")).isPositive();
			connection.commit();
			connection.setAutoCommit(true);

			assertThat(count(connection, "select pg_backend_pid()")).as("same server session").isEqualTo(backend);
			assertThat(query(connection, "select current_setting('mailroom.org_id', true)")).isNullOrEmpty();
			assertThat(query(connection, "select mailroom.current_org_id()::text")).isNull();
			assertThat(count(connection, "select count(*) from mailroom.domains")).isZero();
		}
	}

	@Test
	void noPooledConnectionKeepsATenantAfterRequests() throws SQLException {
		TestApi api = new TestApi(port);
		for (int i = 0; i < 5; i++) {
			api.bearer(a.apiKey(), "GET", "/api/v1/domains", null);
			api.bearer(b.apiKey(), "GET", "/api/v1/domains/" + bDomain, null);
			api.operator("POST", "/api/v1/operator/domains/" + UUID.randomUUID() + "/mark-verified", null);
		}
		List<Connection> borrowed = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				Connection connection = dataSource.getConnection();
				borrowed.add(connection);
				for (String setting : List.of("mailroom.org_id", "mailroom.user_id", "mailroom.operator")) {
					assertThat(query(connection, "select current_setting('" + setting + "', true)"))
						.as("%s on pooled connection %d", setting, i)
						.isNullOrEmpty();
				}
				assertThat(count(connection, "select count(*) from mailroom.domains")).isZero();
			}
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
		}
	}

	@Test
	void everyTableWithAnOrganizationColumnForcesRowLevelSecurity() throws SQLException {
		Map<String, boolean[]> tables = new LinkedHashMap<>();
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("""
						select c.relname, c.relrowsecurity, c.relforcerowsecurity
						from pg_class c
						join pg_namespace n on n.oid = c.relnamespace
						join pg_attribute a on a.attrelid = c.oid
						where n.nspname = 'mailroom' and c.relkind in ('r', 'p')
						  and a.attname = 'org_id' and a.attnum > 0 and not a.attisdropped
						order by c.relname
						""");
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				tables.put(rows.getString(1), new boolean[] { rows.getBoolean(2), rows.getBoolean(3) });
			}
		}
		assertThat(tables).as("tables with org_id").hasSizeGreaterThanOrEqualTo(5).containsKeys("domains", "audit_events",
				"api_keys", "memberships");
		tables.forEach((table, flags) -> {
			assertThat(flags[0]).as("%s has row level security enabled", table).isTrue();
			assertThat(flags[1]).as("%s forces row level security (even for its owner)", table).isTrue();
		});
		try (Connection connection = dataSource.getConnection()) {
			assertThat(query(connection, """
					select (c.relrowsecurity and c.relforcerowsecurity)::text from pg_class c
					join pg_namespace n on n.oid = c.relnamespace
					where n.nspname = 'mailroom' and c.relname = 'organizations'
					""")).as("organizations (keyed by id) forces row level security too").isEqualTo("true");
		}
	}

	@Test
	void theApplicationRoleIsNoSuperuserBypassesNothingAndOwnsNothing() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			assertThat(query(connection, "select current_user")).isEqualTo("mailroom_app");
			assertThat(query(connection, "select rolsuper::text from pg_roles where rolname = current_user")).isEqualTo("false");
			assertThat(query(connection, "select rolbypassrls::text from pg_roles where rolname = current_user"))
				.isEqualTo("false");
			assertThat(count(connection, """
					select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
					where n.nspname = 'mailroom' and pg_has_role(current_user, c.relowner, 'USAGE')
					""")).as("tables, views, sequences in mailroom owned by (a role usable by) the app").isZero();
			assertThat(count(connection, """
					select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
					where n.nspname = 'mailroom' and c.relkind in ('r', 'p')
					""")).as("the schema has tables at all").isPositive();
			assertThat(query(connection,
					"select pg_has_role(current_user, nspowner, 'USAGE')::text from pg_namespace where nspname = 'mailroom'"))
				.as("the app does not own the schema")
				.isEqualTo("false");
		}
	}

	private static void setOrg(Connection connection, UUID orgId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("select set_config('mailroom.org_id', ?, true)")) {
			statement.setString(1, orgId.toString());
			statement.executeQuery().close();
		}
	}

	private static int insertDomain(Connection connection, UUID orgId) throws SQLException {
		return update(connection, """
				insert into mailroom.domains (id, org_id, name, status, verification_token)
				values (?, ?, ?, 'pending', 'forged')
				""", UUID.randomUUID(), orgId, "forged-" + UUID.randomUUID() + ".example");
	}

	private interface SqlCall {
		Object call() throws SQLException;
	}

	/** The statement fails with a row-level security violation; the transaction carries on. */
	private static void assertRefused(Connection connection, SqlCall call) throws SQLException {
		Savepoint savepoint = connection.setSavepoint();
		assertThatThrownBy(call::call).isInstanceOfSatisfying(SQLException.class, e -> {
			assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
			assertThat(e.getMessage()).contains("row-level security");
		});
		connection.rollback(savepoint);
	}

	private boolean stillPendingForB(UUID domainId) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			setOrg(connection, b.orgId());
			List<UUID> ids = uuids(connection, "select id from mailroom.domains where status = 'pending'");
			connection.rollback();
			return ids.contains(domainId);
		}
	}

	private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			return statement.executeUpdate();
		}
	}

	private static long count(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static String query(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
			return rows.next() ? rows.getString(1) : null;
		}
	}

	private static List<UUID> uuids(Connection connection, String sql) throws SQLException {
		List<UUID> ids = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				ids.add(rows.getObject(1, UUID.class));
			}
		}
		return ids;
	}
}
