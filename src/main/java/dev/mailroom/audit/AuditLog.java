package dev.mailroom.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.Tenancy;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Records and lists audit events. Details must never hold secrets (passwords, tokens, links). */
@Service
public class AuditLog {

	private final JdbcClient jdbc;
	private final Tenancy tenancy;
	private final JsonMapper json;

	AuditLog(JdbcClient jdbc, Tenancy tenancy, JsonMapper json) {
		this.jdbc = jdbc;
		this.tenancy = tenancy;
		this.json = json;
	}

	/** Records an event in the caller's transaction, so it commits or rolls back with the change. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void record(Actor actor, UUID orgId, String action, String target, Map<String, ?> details) {
		tenancy.enter(orgId);
		jdbc.sql("""
				insert into mailroom.audit_events (id, org_id, at, actor, action, target, ip, details)
				values (:id, :org, now(), :actor, :action, :target, :ip, :details::jsonb)
				""")
			.param("id", UUID.randomUUID())
			.param("org", orgId)
			.param("actor", actor.label())
			.param("action", action)
			.param("target", target)
			.param("ip", actor.ip())
			.param("details", json.writeValueAsString(details))
			.update();
	}

	/**
	 * Newest first; filters are optional. Owners and admins only; keys need {@code audit:read}.
	 * A key limited to some domains is refused (403 {@code insufficient_scope}): events are about
	 * the whole organization (keys, team, plan) and carry no reliable domain, so no filter could
	 * promise that none of them describes another domain's resources.
	 */
	@Transactional(readOnly = true)
	public Page<AuditEventView> list(Actor actor, Instant since, String actorFilter, String action, PageRequest page) {
		actor.requireScope("audit:read");
		if (actor.domainLimited()) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "insufficient_scope",
					"A key limited to some domains cannot read the audit log; use a key without a domain limit");
		}
		actor.requireAdmin();
		tenancy.enter(actor.orgId());
		PageRequest.Keyset before = page.afterKeyset();
		var rows = jdbc.sql("""
				select id, at, actor, action, target, ip, details::text as details from mailroom.audit_events
				where (cast(:since as timestamptz) is null or at >= :since)
				  and (cast(:actor as text) is null or actor = :actor)
				  and (cast(:action as text) is null or action = :action)
				  and (cast(:beforeAt as timestamptz) is null or (at, id) < (:beforeAt, :beforeId))
				order by at desc, id desc
				limit :limit
				""")
			.param("since", since == null ? null : Timestamp.from(since))
			.param("actor", actorFilter)
			.param("action", action)
			.param("beforeAt", before == null ? null : before.timestamp())
			.param("beforeId", before == null ? null : before.id())
			.param("limit", page.limit() + 1)
			.query((rs, n) -> new AuditEventView(rs.getObject("id", UUID.class), rs.getTimestamp("at").toInstant(),
					rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("ip"),
					json.readValue(rs.getString("details"), new TypeReference<Map<String, Object>>() {
					})))
			.list();
		return Page.of(rows, page, e -> PageRequest.keyset(e.at(), e.id()));
	}
}
