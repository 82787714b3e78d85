package dev.mailroom.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Tenancy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/** Queues emails in the caller's transaction and tells where they stand. */
@Service
public class Outbox {

	private final JdbcClient jdbc;
	private final Tenancy tenancy;
	private final JsonMapper json;
	private final OutboxDispatcher dispatcher;
	private final org.springframework.jdbc.core.JdbcTemplate batch;

	Outbox(JdbcClient jdbc, Tenancy tenancy, JsonMapper json, OutboxDispatcher dispatcher,
			org.springframework.jdbc.core.JdbcTemplate batch) {
		this.batch = batch;
		this.jdbc = jdbc;
		this.tenancy = tenancy;
		this.json = json;
		this.dispatcher = dispatcher;
	}

	/**
	 * Queues a message; it commits (or rolls back) with the caller's transaction and is delivered
	 * right after the commit, or by the next dispatcher run. {@code parameters} must not hold
	 * secrets: they are stored as they are. {@code orgId} is null for a message to a person outside
	 * any organization (a sign-up's verification link); no tenant ever sees those.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public UUID queue(UUID orgId, String template, String language, String recipient, Map<String, ?> parameters,
			String reference) {
		tenancy.enter(orgId);
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into mailroom.outbox_messages (id, org_id, template, language, recipient, parameters, reference, status)
				values (:id, :org, :template, :language, :recipient, :parameters::jsonb, :reference, 'queued')
				""")
			.param("id", id)
			.param("org", orgId)
			.param("template", template)
			.param("language", language)
			.param("recipient", recipient)
			.param("parameters", json.writeValueAsString(parameters))
			.param("reference", reference)
			.update();
		nudgeAfterCommit();
		return id;
	}

	private void nudgeAfterCommit() {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				dispatcher.nudge();
			}
		});
	}

	/** One message of a batch: to whom, with what parameters, about what. */
	public record Queued(String recipient, Map<String, ?> parameters, String reference) {
	}

	/** Queues many messages of one template in one round trip (see {@link #queue}). */
	@Transactional(propagation = Propagation.MANDATORY)
	public void queueAll(UUID orgId, String template, String language, List<Queued> messages) {
		tenancy.enter(orgId);
		batch.batchUpdate("""
				insert into mailroom.outbox_messages (id, org_id, template, language, recipient, parameters, reference, status)
				values (?, ?, ?, ?, ?, ?::jsonb, ?, 'queued')
				""", messages.stream()
			.map(m -> new Object[] { UUID.randomUUID(), orgId, template, language, m.recipient(),
					json.writeValueAsString(m.parameters()), m.reference() })
			.toList());
		nudgeAfterCommit();
	}

	/** The latest message about {@code reference} (e.g. {@code invite:<id>}), in the caller's organization. */
	@Transactional(readOnly = true)
	public Optional<DeliveryView> latest(UUID orgId, String reference) {
		tenancy.enter(orgId);
		return jdbc.sql("""
				select * from mailroom.outbox_messages where org_id = :org and reference = :reference
				order by created_at desc limit 1
				""").param("org", orgId).param("reference", reference).query(Outbox::map).optional();
	}

	/** The latest message for each of {@code references}, for list pages. */
	@Transactional(readOnly = true)
	public Map<String, DeliveryView> latest(UUID orgId, List<String> references) {
		tenancy.enter(orgId);
		if (references.isEmpty()) {
			return Map.of();
		}
		Map<String, DeliveryView> result = new java.util.HashMap<>();
		jdbc.sql("""
				select distinct on (reference) * from mailroom.outbox_messages
				where org_id = :org and reference = any(:references)
				order by reference, created_at desc
				""")
			.param("org", orgId)
			.param("references", references.toArray(String[]::new))
			.query((rs, n) -> Map.entry(rs.getString("reference"), map(rs, n)))
			.list()
			.forEach(e -> result.put(e.getKey(), e.getValue()));
		return result;
	}

	/** The organization's messages, newest first (the dev mail viewer). */
	@Transactional(readOnly = true)
	public List<DeliveryView> recent(Actor actor, int limit) {
		actor.requireAdmin();
		tenancy.enter(actor.orgId());
		return jdbc.sql("select * from mailroom.outbox_messages where org_id = :org order by created_at desc limit :limit")
			.param("org", actor.orgId())
			.param("limit", limit)
			.query(Outbox::map)
			.list();
	}

	/** One message of the actor's organization, rendered as it was (or would be) sent. */
	@Transactional(readOnly = true)
	public EmailMessage show(Actor actor, UUID id) {
		actor.requireAdmin();
		tenancy.enter(actor.orgId());
		OutboxDispatcher.Claimed message = jdbc.sql("select * from mailroom.outbox_messages where id = :id")
			.param("id", id)
			.query(OutboxDispatcher::claimed)
			.optional()
			.orElseThrow(() -> MailroomException.notFound("Message"));
		return dispatcher.render(message).orElseThrow(() -> MailroomException.notFound("Message"));
	}

	static DeliveryView map(ResultSet rs, int row) throws SQLException {
		Timestamp sent = rs.getTimestamp("sent_at");
		return new DeliveryView(rs.getObject("id", UUID.class), rs.getString("recipient"), rs.getString("template"),
				rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"), rs.getString("transport"),
				rs.getTimestamp("created_at").toInstant(), sent == null ? null : sent.toInstant());
	}

}
