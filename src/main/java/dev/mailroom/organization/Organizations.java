package dev.mailroom.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.OrgRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class Organizations {

	private static final String SELECT = """
			select o.id, o.name, o.plan, o.personal, o.limit_overrides::text as overrides, o.created_at,
			       p.domains, p.mailboxes_per_domain, p.shared_per_domain, p.active_mailboxes, p.archived_mailboxes,
			       p.storage_pool_mb, p.seats, p.api_calls_per_day, p.invites_per_batch
			from mailroom.organizations o join mailroom.plans p on p.code = o.plan
			""";

	private final JdbcClient jdbc;
	private final JsonMapper json;

	Organizations(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(UUID id, String name, String plan, boolean personal) {
		jdbc.sql("insert into mailroom.organizations (id, name, plan, personal) values (:id, :name, :plan, :personal)")
			.param("id", id)
			.param("name", name)
			.param("plan", plan)
			.param("personal", personal)
			.update();
	}

	Optional<OrganizationView> find(UUID id) {
		return jdbc.sql(SELECT + " where o.id = :id").param("id", id).query(this::map).optional();
	}

	boolean planExists(String plan) {
		return jdbc.sql("select count(*) from mailroom.plans where code = :plan").param("plan", plan).query(Long.class)
			.single() > 0;
	}

	boolean isPaidPlan(String plan) {
		return jdbc.sql("select paid from mailroom.plans where code = :plan").param("plan", plan).query(Boolean.class)
			.single();
	}

	void update(UUID id, String plan, Map<String, Long> overrides) {
		jdbc.sql("update mailroom.organizations set plan = :plan, limit_overrides = :overrides::jsonb where id = :id")
			.param("id", id)
			.param("plan", plan)
			.param("overrides", json.writeValueAsString(overrides))
			.update();
	}

	Map<String, Long> overrides(UUID id) {
		String text = jdbc.sql("select limit_overrides::text from mailroom.organizations where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
		return json.readValue(text, new TypeReference<Map<String, Long>>() {
		});
	}

	/** Locks the organization's row: the one lock that serializes limit checks within it. */
	void lock(UUID id) {
		jdbc.sql("select id from mailroom.organizations where id = :id for update").param("id", id).query(UUID.class)
			.single();
	}

	/** Adds a membership; {@code false} (nothing changed) if the user belongs already. */
	boolean addMember(UUID orgId, UUID userId, OrgRole role) {
		return jdbc.sql("""
				insert into mailroom.memberships (org_id, user_id, role) values (:org, :user, :role)
				on conflict (org_id, user_id) do nothing
				""").param("org", orgId).param("user", userId).param("role", role.value()).update() == 1;
	}

	/** Removes a membership; {@code false} if there was none. The user's API keys in it go with it. */
	boolean removeMember(UUID orgId, UUID userId) {
		return jdbc.sql("delete from mailroom.memberships where org_id = :org and user_id = :user")
			.param("org", orgId)
			.param("user", userId)
			.update() == 1;
	}

	List<OrganizationMember> members(UUID orgId) {
		return jdbc.sql("""
				select user_id, role, joined_at from mailroom.memberships where org_id = :org
				order by case role when 'owner' then 0 when 'admin' then 1 else 2 end, joined_at, user_id
				""")
			.param("org", orgId)
			.query((rs, n) -> new OrganizationMember(rs.getObject("user_id", UUID.class), OrgRole.of(rs.getString("role")),
					rs.getTimestamp("joined_at").toInstant()))
			.list();
	}

	Optional<OrgRole> role(UUID orgId, UUID userId) {
		return jdbc.sql("select role from mailroom.memberships where org_id = :org and user_id = :user")
			.param("org", orgId)
			.param("user", userId)
			.query(String.class)
			.optional()
			.map(OrgRole::of);
	}

	List<MembershipView> membershipsOf(UUID userId) {
		return jdbc.sql("""
				select m.org_id, o.name, o.plan, o.personal, m.role
				from mailroom.memberships m join mailroom.organizations o on o.id = m.org_id
				where m.user_id = :user
				order by o.personal desc, m.joined_at, m.org_id
				""")
			.param("user", userId)
			.query((rs, n) -> new MembershipView(rs.getObject("org_id", UUID.class), rs.getString("name"),
					rs.getString("plan"), rs.getBoolean("personal"), OrgRole.of(rs.getString("role"))))
			.list();
	}

	private OrganizationView map(ResultSet rs, int row) throws SQLException {
		Limits plan = new Limits(rs.getInt("domains"), rs.getInt("mailboxes_per_domain"), rs.getInt("shared_per_domain"),
				rs.getInt("active_mailboxes"), rs.getInt("archived_mailboxes"), rs.getLong("storage_pool_mb"),
				rs.getInt("seats"), rs.getInt("api_calls_per_day"), rs.getInt("invites_per_batch"));
		Map<String, Long> overrides = new HashMap<>(json.readValue(rs.getString("overrides"),
				new TypeReference<Map<String, Long>>() {
				}));
		return new OrganizationView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("plan"),
				rs.getBoolean("personal"), plan.with(overrides), rs.getTimestamp("created_at").toInstant());
	}
}
