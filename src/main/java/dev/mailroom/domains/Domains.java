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

	private final JdbcClient jdbc;

	Domains(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts a pending domain; {@code false} when the name is already taken by any organization. */
	boolean insert(UUID id, UUID orgId, String name, String token) {
		return jdbc.sql("""
				insert into mailroom.domains (id, org_id, name, status, verification_token)
				values (:id, :org, :name, 'pending', :token)
				on conflict (name) do nothing
				""").param("id", id).param("org", orgId).param("name", name).param("token", token).update() == 1;
	}

	long count(UUID orgId) {
		return jdbc.sql("select count(*) from mailroom.domains where org_id = :org").param("org", orgId)
			.query(Long.class)
			.single();
	}

	Optional<DomainView> find(UUID id) {
		return jdbc.sql("select * from mailroom.domains where id = :id").param("id", id).query(Domains::map).optional();
	}

	List<DomainView> page(UUID orgId, Timestamp afterCreated, UUID afterId, String status, int limit) {
		return jdbc.sql("""
				select * from mailroom.domains
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
		return new DomainView(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), name,
				rs.getString("status"), RECORD_PREFIX + name, VALUE_PREFIX + rs.getString("verification_token"),
				rs.getTimestamp("created_at").toInstant(), verified == null ? null : verified.toInstant());
	}
}
