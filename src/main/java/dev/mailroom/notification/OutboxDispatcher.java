package dev.mailroom.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.Tenancy;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers due messages. Cluster-safe without a coordinator: a message is claimed by one
 * conditional UPDATE (status and lease), so two instances never deliver the same claim; a claim
 * whose instance died is taken over when its lease runs out. Failures retry with exponential
 * backoff (30 s doubling to 1 h) up to {@value #MAX_ATTEMPTS} attempts, then the message is
 * {@code failed} with the reason.
 */
@Component
class OutboxDispatcher {

	static final int MAX_ATTEMPTS = 12;
	private static final Duration LEASE = Duration.ofMinutes(2);
	private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

	/** A claimed message: what to render and to whom. */
	record Claimed(UUID id, UUID orgId, String template, String language, String recipient, String parameters,
			int attempts) {
	}

	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;
	private final Tenancy tenancy;
	private final JsonMapper json;
	private final ObjectProvider<MessageRenderer> renderers;
	private final MailTransport transport;
	private final AtomicBoolean running = new AtomicBoolean();
	private final AtomicBoolean again = new AtomicBoolean();
	private final ExecutorService nudges = Executors.newVirtualThreadPerTaskExecutor();
	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
	private final Duration retryBase;

	OutboxDispatcher(JdbcClient jdbc, TransactionTemplate transactions, Tenancy tenancy, JsonMapper json,
			ObjectProvider<MessageRenderer> renderers, MailroomSettings settings,
			@Value("${mailroom.outbox-retry-base:PT30S}") Duration retryBase) {
		this.retryBase = retryBase;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.tenancy = tenancy;
		this.json = json;
		this.renderers = renderers;
		this.transport = MailTransport.from(settings);
	}

	/** Delivers soon, without waiting for the next poll (called after a commit that queued mail). */
	void nudge() {
		nudges.execute(this::dispatchDue);
	}

	@Scheduled(fixedDelayString = "${mailroom.outbox-poll-interval:PT5S}", initialDelayString = "PT2S")
	void poll() {
		dispatchDue();
	}

	/**
	 * Delivers every due message; one run at a time per instance (a nudge during a run triggers
	 * another). Each round claims up to {@value #BATCH} messages, renders them, and sends them
	 * over {@value #CONNECTIONS} SMTP connections in parallel, one connection per chunk.
	 */
	void dispatchDue() {
		if (!running.compareAndSet(false, true)) {
			again.set(true);
			return;
		}
		try {
			do {
				again.set(false);
				int claimed;
				do {
					claimed = round();
				}
				while (claimed > 0);
			}
			while (again.get());
		}
		catch (RuntimeException e) {
			log.warn("Outbox dispatch stopped early: {}", e.toString());
		}
		finally {
			running.set(false);
		}
	}

	static final int BATCH = 100;
	static final int CONNECTIONS = 4;

	/** One round: claim, render, send, record. Returns how many messages it claimed. */
	private int round() {
		List<Claimed> due = due(BATCH);
		Map<UUID, List<UUID>> byOrganization = new java.util.LinkedHashMap<>();
		due.forEach(c -> byOrganization.computeIfAbsent(c.orgId(), k -> new java.util.ArrayList<>()).add(c.id()));
		List<Claimed> claimed = new java.util.ArrayList<>();
		byOrganization.forEach((org, ids) -> claimed.addAll(claim(org, ids)));
		List<MailTransport.Outgoing> outgoing = new java.util.ArrayList<>();
		for (Claimed message : claimed) {
			try {
				Optional<EmailMessage> rendered = render(message);
				if (rendered.isEmpty()) {
					finish(message, "failed", "No longer relevant (what it was about is gone)");
				}
				else {
					outgoing.add(new MailTransport.Outgoing(message.id(), message.orgId(), message.recipient(), rendered.get()));
				}
			}
			catch (RuntimeException e) {
				retryOrFail(message, DeliveryFailures.NOT_RENDERED, "could not render: " + e.getClass().getSimpleName());
			}
		}
		Map<UUID, Exception> failures = send(outgoing);
		Map<UUID, Claimed> byId = new java.util.HashMap<>();
		claimed.forEach(c -> byId.put(c.id(), c));
		List<Claimed> sent = outgoing.stream()
			.filter(o -> !failures.containsKey(o.id()))
			.map(o -> byId.get(o.id()))
			.toList();
		markSent(sent);
		failures.forEach((id, e) -> retryOrFail(byId.get(id), DeliveryFailures.describe(e), DeliveryFailures.detail(e)));
		return claimed.size();
	}

	/** Sends in up to {@value #CONNECTIONS} parallel chunks; returns the failures. */
	private Map<UUID, Exception> send(List<MailTransport.Outgoing> outgoing) {
		if (outgoing.isEmpty()) {
			return Map.of();
		}
		int chunks = Math.min(CONNECTIONS, outgoing.size());
		int size = (outgoing.size() + chunks - 1) / chunks;
		List<java.util.concurrent.Future<Map<UUID, Exception>>> futures = new java.util.ArrayList<>();
		for (int from = 0; from < outgoing.size(); from += size) {
			List<MailTransport.Outgoing> chunk = outgoing.subList(from, Math.min(outgoing.size(), from + size));
			futures.add(senders.submit(() -> transport.sendAll(chunk)));
		}
		Map<UUID, Exception> failures = new java.util.HashMap<>();
		for (int i = 0; i < futures.size(); i++) {
			try {
				failures.putAll(futures.get(i).get());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
			catch (java.util.concurrent.ExecutionException e) {
				int from = i * size;
				outgoing.subList(from, Math.min(outgoing.size(), from + size))
					.forEach(o -> failures.put(o.id(), (Exception) e.getCause()));
			}
		}
		return failures;
	}

	private List<Claimed> due(int limit) {
		return transactions.execute(status -> {
			tenancy.enterOperator();
			return jdbc.sql("""
					select * from mailroom.outbox_messages
					where next_attempt_at <= now()
					  and (status = 'queued' or (status = 'sending' and claimed_until < now()))
					order by next_attempt_at limit :limit
					""").param("limit", limit).query(OutboxDispatcher::claimed).list();
		});
	}

	/** Claims the messages that are still due (another instance may have taken some). */
	private List<Claimed> claim(UUID orgId, List<UUID> ids) {
		return transactions.execute(status -> {
			tenancy.enter(orgId);
			return jdbc.sql("""
					update mailroom.outbox_messages
					set status = 'sending', claimed_until = now() + cast(:lease as interval), attempts = attempts + 1
					where id = any(:ids) and next_attempt_at <= now()
					  and (status = 'queued' or (status = 'sending' and claimed_until < now()))
					returning *
					""").param("lease", LEASE.toSeconds() + " seconds").param("ids", ids.toArray(UUID[]::new))
				.query(OutboxDispatcher::claimed)
				.list();
		});
	}

	private void markSent(List<Claimed> sent) {
		Map<UUID, List<UUID>> byOrganization = new java.util.LinkedHashMap<>();
		sent.forEach(c -> byOrganization.computeIfAbsent(c.orgId(), k -> new java.util.ArrayList<>()).add(c.id()));
		byOrganization.forEach((org, ids) -> transactions.executeWithoutResult(tx -> {
			tenancy.enter(org);
			jdbc.sql("""
					update mailroom.outbox_messages set status = 'sent', last_error = null, claimed_until = null,
					  transport = :transport, sent_at = now()
					where id = any(:ids)
					""").param("transport", transport.name()).param("ids", ids.toArray(UUID[]::new)).update();
		}));
	}

	/** Renders a message inside a transaction entered for its organization. */
	Optional<EmailMessage> render(Claimed message) {
		MessageRenderer renderer = renderers.orderedStream()
			.filter(r -> r.renders(message.template()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No renderer for " + message.template()));
		Map<String, Object> parameters = json.readValue(message.parameters(), new TypeReference<Map<String, Object>>() {
		});
		return transactions.execute(status -> {
			tenancy.enter(message.orgId());
			return renderer.render(message.orgId(), message.template(), Locale.forLanguageTag(message.language()),
					parameters);
		});
	}

	private void finish(Claimed message, String status, String error) {
		transactions.executeWithoutResult(tx -> {
			tenancy.enter(message.orgId());
			jdbc.sql("""
					update mailroom.outbox_messages set status = :status, last_error = :error, claimed_until = null,
					  transport = :transport, sent_at = case when :status = 'sent' then now() else sent_at end
					where id = :id
					""")
				.param("status", status)
				.param("error", error)
				.param("transport", transport.name())
				.param("id", message.id())
				.update();
		});
	}

	/**
	 * {@code shown} is what the tenant sees (a fixed sentence); {@code detail} (the relay's own
	 * reply) goes to the log only.
	 */
	private void retryOrFail(Claimed message, String shown, String detail) {
		String error = shown;
		if (message.attempts() >= MAX_ATTEMPTS) {
			log.warn("Giving up on outbox message {} after {} attempts: {}", message.id(), message.attempts(), detail);
			finish(message, "failed", error);
			return;
		}
		long delay = Math.min(Duration.ofHours(1).toSeconds(),
				Math.max(1, retryBase.toSeconds()) << Math.min(20, message.attempts() - 1));
		transactions.executeWithoutResult(tx -> {
			tenancy.enter(message.orgId());
			jdbc.sql("""
					update mailroom.outbox_messages set status = 'queued', last_error = :error, claimed_until = null,
					  next_attempt_at = now() + cast(:delay as interval)
					where id = :id
					""").param("error", error).param("delay", delay + " seconds").param("id", message.id()).update();
		});
		log.info("Outbox message {} will be retried in {} s (attempt {}): {}", message.id(), delay, message.attempts(), detail);
	}

	@PreDestroy
	void stop() {
		nudges.shutdown();
		senders.shutdown();
	}

	static Claimed claimed(ResultSet rs, int row) throws SQLException {
		return new Claimed(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("template"),
				rs.getString("language"), rs.getString("recipient"), rs.getString("parameters"), rs.getInt("attempts"));
	}
}
