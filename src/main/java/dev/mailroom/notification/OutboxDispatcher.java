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

	/** Delivers every due message; one run at a time per instance (a nudge during a run triggers another). */
	void dispatchDue() {
		if (!running.compareAndSet(false, true)) {
			again.set(true);
			return;
		}
		try {
			do {
				again.set(false);
				List<Claimed> due;
				do {
					due = due(50);
					for (Claimed candidate : due) {
						claim(candidate).ifPresent(this::deliver);
					}
				}
				while (due.size() == 50);
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

	private Optional<Claimed> claim(Claimed candidate) {
		return transactions.execute(status -> {
			tenancy.enter(candidate.orgId());
			return jdbc.sql("""
					update mailroom.outbox_messages
					set status = 'sending', claimed_until = now() + cast(:lease as interval), attempts = attempts + 1
					where id = :id and next_attempt_at <= now()
					  and (status = 'queued' or (status = 'sending' and claimed_until < now()))
					returning *
					""").param("lease", LEASE.toSeconds() + " seconds").param("id", candidate.id())
				.query(OutboxDispatcher::claimed)
				.optional();
		});
	}

	private void deliver(Claimed message) {
		Optional<EmailMessage> rendered;
		try {
			rendered = render(message);
		}
		catch (RuntimeException e) {
			retryOrFail(message, "Could not render: " + e.getClass().getSimpleName());
			return;
		}
		if (rendered.isEmpty()) {
			finish(message, "failed", "No longer relevant (what it was about is gone)");
			return;
		}
		try {
			transport.send(message.recipient(), rendered.get(), message.id());
			finish(message, "sent", null);
		}
		catch (Exception e) {
			// the reason is kept for the admin; it names the relay's answer, never the message
			retryOrFail(message, e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
		}
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

	private void retryOrFail(Claimed message, String error) {
		if (message.attempts() >= MAX_ATTEMPTS) {
			log.warn("Giving up on outbox message {} after {} attempts: {}", message.id(), message.attempts(), error);
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
		log.info("Outbox message {} will be retried in {} s (attempt {}): {}", message.id(), delay, message.attempts(), error);
	}

	@PreDestroy
	void stop() {
		nudges.shutdown();
	}

	static Claimed claimed(ResultSet rs, int row) throws SQLException {
		return new Claimed(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("template"),
				rs.getString("language"), rs.getString("recipient"), rs.getString("parameters"), rs.getInt("attempts"));
	}
}
