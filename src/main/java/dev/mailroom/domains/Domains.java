package dev.mailroom.domains;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Domains {

	static final String RECORD_PREFIX = "_mailroom-verification.";
	static final String VALUE_PREFIX = "mailroom-verification=";
	/** How long a pending claim may wait for its TXT record before it expires. */
	static final int CLAIM_DAYS = 7;
	private static final String COLUMNS = "*, created_at + make_interval(days => " + CLAIM_DAYS + ") as expires_at";

	private final JdbcClient jdbc;

	Domains(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts a pending claim; {@code false} when the organization already holds this name.
	 * Other organizations' claims do not conflict: only active names are unique across them.
	 */
	boolean insert(UUID id, UUID orgId, String name, String token) {
		return jdbc.sql("""
				insert into mailroom.domains (id, org_id, name, status, verification_token)
				values (:id, :org, :name, 'pending', :token)
				on conflict (org_id, name) do nothing
				""").param("id", id).param("org", orgId).param("name", name).param("token", token).update() == 1;
	}

	/** Whether any organization has {@code name} active; answered by the database, no row read here. */
	boolean nameActive(String name) {
		return jdbc.sql("select mailroom.domain_name_active(:name)").param("name", name).query(Boolean.class).single();
	}

	/** Domains that count toward the plan: active ones and claims that have not expired. */
	long count(UUID orgId) {
		return jdbc.sql("""
				select count(*) from mailroom.domains
				where org_id = :org and (status = 'active' or created_at + make_interval(days => :days) > now())
				""").param("org", orgId).param("days", CLAIM_DAYS).query(Long.class).single();
	}

	Optional<DomainView> find(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from mailroom.domains where id = :id").param("id", id)
			.query(Domains::map)
			.optional();
	}

	/** The domain, its row locked until the transaction ends. */
	Optional<DomainView> lock(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from mailroom.domains where id = :id for update").param("id", id)
			.query(Domains::map)
			.optional();
	}

	/** Deletes the organization's own expired claim for {@code name}, so the name can be claimed afresh. */
	void deleteExpiredClaim(UUID orgId, String name) {
		jdbc.sql("""
				delete from mailroom.domains
				where org_id = :org and name = :name and status = 'pending'
				  and created_at + make_interval(days => :days) <= now()
				""").param("org", orgId).param("name", name).param("days", CLAIM_DAYS).update();
	}

	/** Expired claims of every organization (needs operator mode), oldest first. */
	List<DomainView> expiredClaims(int max) {
		return jdbc.sql("select " + COLUMNS + """
				 from mailroom.domains
				where status = 'pending' and created_at + make_interval(days => :days) <= now()
				order by created_at
				limit :max
				""").param("days", CLAIM_DAYS).param("max", max).query(Domains::map).list();
	}

	/** Deletes a claim if it is still pending and expired; {@code false} if something else got there first. */
	boolean deleteIfExpired(UUID id) {
		return jdbc.sql("""
				delete from mailroom.domains
				where id = :id and status = 'pending' and created_at + make_interval(days => :days) <= now()
				""").param("id", id).param("days", CLAIM_DAYS).update() == 1;
	}

	List<DomainView> page(UUID orgId, Timestamp afterCreated, UUID afterId, String status, int limit) {
		return jdbc.sql("""
				select *, created_at + make_interval(days => :days) as expires_at from mailroom.domains
				where org_id = :org
				  and (cast(:status as text) is null or status = :status)
				  and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
				order by created_at, id
				limit :limit
				""")
			.param("org", orgId)
			.param("status", status)
			.param("afterCreated", afterCreated)
			.param("afterId", afterId)
			.param("limit", limit)
			.param("days", CLAIM_DAYS)
			.query(Domains::map)
			.list();
	}

	long countIn(UUID orgId, List<UUID> ids) {
		if (ids.isEmpty()) {
			return 0;
		}
		return jdbc.sql("select count(*) from mailroom.domains where org_id = :org and id = any(:ids)")
			.param("org", orgId)
			.param("ids", ids.toArray(UUID[]::new))
			.query(Long.class)
			.single();
	}

	/**
	 * Activates a domain. Throws {@link org.springframework.dao.DuplicateKeyException} when another
	 * organization's domain of that name became active first (the partial unique index).
	 */
	void activate(UUID id) {
		jdbc.sql("update mailroom.domains set status = 'active', verified_at = now() where id = :id and status <> 'active'")
			.param("id", id)
			.update();
	}

	void delete(UUID id) {
		jdbc.sql("delete from mailroom.domains where id = :id").param("id", id).update();
	}

	private static DomainView map(ResultSet rs, int row) throws SQLException {
		String name = rs.getString("name");
		Timestamp verified = rs.getTimestamp("verified_at");
		String status = rs.getString("status");
		return new DomainView(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), name, status,
				RECORD_PREFIX + name, VALUE_PREFIX + rs.getString("verification_token"),
				rs.getTimestamp("created_at").toInstant(), verified == null ? null : verified.toInstant(),
				"active".equals(status) ? null : rs.getTimestamp("expires_at").toInstant());
	}
}
