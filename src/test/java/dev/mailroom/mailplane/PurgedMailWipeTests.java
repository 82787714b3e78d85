package dev.mailroom.mailplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.mailbox.MailStore;
import dev.mailroom.mailbox.MailboxService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recycle-bin purge when the mail plane is away: the mailbox row goes at once, its mail data
 * stays recorded as still to wipe (keyed by the mailbox id, in its organization), and the wipe job
 * wipes it through doveadm once doveadm answers, once. Here the shared context has no mail plane;
 * a test connects the real doveadm client to a fake doveadm on loopback for a while.
 */
@MailroomTest
class PurgedMailWipeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final String KEY = "purge-test-doveadm-key-" + UUID.randomUUID();
	private static final String STORE_BEAN = "purgedMailWipeTestsMailStore";

	@Autowired
	MailboxService mailboxService;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ConfigurableApplicationContext context;

	@LocalServerPort
	int port;

	private TestApi api;
	private TestApi.Tenant tenant;
	private String domainId;

	/** doveadm users the fake was asked about, with the command. */
	private final List<String> asked = new CopyOnWriteArrayList<>();
	/** What the fake answers every command with: null = success, else this exit code. */
	private final AtomicReference<Integer> exitCode = new AtomicReference<>();
	private final AtomicReference<MailStore> connected = new AtomicReference<>();
	private HttpServer fake;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "wipe");
		for (var d : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (d.get("name").asString().equals(domain)) {
				domainId = d.get("id").asString();
			}
		}
	}

	@AfterEach
	void disconnect() {
		var beans = (DefaultListableBeanFactory) context.getBeanFactory();
		if (beans.containsSingleton(STORE_BEAN)) {
			beans.destroySingleton(STORE_BEAN);
		}
		if (fake != null) {
			fake.stop(0);
		}
	}

	@Test
	void withoutAMailPlaneThePurgeDeletesTheRowAndKeepsTheWipePending() {
		assertThat(mailboxService.mailPlaneConnected()).isFalse();
		UUID id = purgedMailbox("nomp");

		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(404);
		assertThat(pending(id)).as("recorded with the purge").isNotNull();
		assertThat((String) pending(id).get("address")).startsWith("nomp@");
		assertThat(mailboxService.wipePurgedMailData(500)).as("nothing to wipe with").isZero();
		assertThat(pending(id)).as("still pending").isNotNull();
		assertThat(pending(id).get("attempts")).isEqualTo(0);
		assertThat(mailboxService.pendingMailWipes()).isPositive();
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "nomp", "password", "Correct-horse-battery-9")).status())
			.as("the address is free again").isEqualTo(201);
	}

	@Test
	void theWipeJobWipesOnceDoveadmAnswersRetryingLaterOnFailure() throws IOException {
		UUID id = purgedMailbox("later");
		String user = "purged-" + id;
		connect(startFake());

		// doveadm answers but fails: the wipe stays, tried again later
		exitCode.set(75);
		makeFirstDue(id);
		assertThat(mailboxService.wipePurgedMailData(1)).isZero();
		assertThat(asked).contains("mailboxList " + user);
		Map<String, Object> failed = pending(id);
		assertThat(failed.get("attempts")).isEqualTo(1);
		assertThat((Instant) failed.get("next_attempt_at")).isAfter(Instant.now());
		assertThat((String) failed.get("last_error")).contains("75").doesNotContain(KEY);
		asked.clear();
		mailboxService.wipePurgedMailData(500);
		assertThat(asked).as("not due again yet").doesNotContain("mailboxList " + user);

		// doveadm unreachable
		fake.stop(0);
		makeFirstDue(id);
		assertThat(mailboxService.wipePurgedMailData(1)).isZero();
		assertThat(pending(id).get("attempts")).isEqualTo(2);
		assertThat((String) pending(id).get("last_error")).contains("unreachable").doesNotContain(KEY);

		// doveadm is back: wiped, once
		exitCode.set(null);
		connect(startFake());
		asked.clear();
		makeFirstDue(id);
		assertThat(mailboxService.wipePurgedMailData(1)).isEqualTo(1);
		assertThat(asked).containsExactly("mailboxList " + user, "expunge " + user, "mailboxDelete " + user);
		assertThat(pending(id)).as("done").isNull();
		assertThat(auditActions(id)).contains("mailbox.purged", "mailbox.mail_wiped");
		asked.clear();
		mailboxService.wipePurgedMailData(500);
		assertThat(asked).as("at most once").noneMatch(a -> a.endsWith(user));
	}

	@Test
	void aHomeDoveadmDoesNotKnowCountsAsWiped() throws IOException {
		UUID id = purgedMailbox("unknown");
		connect(startFake());
		exitCode.set(Doveadm.NO_SUCH_USER);
		makeFirstDue(id);
		assertThat(mailboxService.wipePurgedMailData(1)).isEqualTo(1);
		assertThat(pending(id)).isNull();
	}

	@Test
	void aTenantSeesOnlyItsOwnPendingWipes() {
		UUID id = purgedMailbox("mine");
		TestApi.Tenant other = api.newTenant("pro");
		assertThat(inOrganization(other.orgId(), () -> jdbc.sql("select count(*) from mailroom.mail_wipes where mailbox_id = :id")
			.param("id", id).query(Long.class).single())).isZero();
		assertThat(inOrganization(other.orgId(), () -> jdbc.sql("delete from mailroom.mail_wipes where mailbox_id = :id")
			.param("id", id).update())).isZero();
		assertThat(pending(id)).isNotNull();
	}

	// ---- helpers ----

	/** A mailbox deleted and purged (its recycle-bin time run out), with no mail plane connected. */
	private UUID purgedMailbox(String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", "Correct-horse-battery-9"));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		UUID id = UUID.fromString(created.json().get("mailbox").get("id").asString());
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(204);
		inOrganization(tenant.orgId(), () -> jdbc.sql("update mailroom.mailboxes set purge_at = now() - interval '1 second' where id = :id")
			.param("id", id).update());
		assertThat(mailboxService.purgeExpired(500)).isGreaterThanOrEqualTo(1);
		return id;
	}

	private Map<String, Object> pending(UUID id) {
		return inOrganization(tenant.orgId(), () -> jdbc.sql("""
				select address, attempts, next_attempt_at, last_error from mailroom.mail_wipes where mailbox_id = :id
				""").param("id", id).query((rs, n) -> {
			Map<String, Object> row = new java.util.HashMap<>();
			row.put("address", rs.getString("address"));
			row.put("attempts", rs.getInt("attempts"));
			row.put("next_attempt_at", rs.getTimestamp("next_attempt_at").toInstant());
			row.put("last_error", rs.getString("last_error"));
			return row;
		}).optional().orElse(null));
	}

	/** Due before any other pending wipe of the shared database, so a run of one takes it. */
	private void makeFirstDue(UUID id) {
		inOrganization(tenant.orgId(), () -> jdbc.sql("""
				update mailroom.mail_wipes set next_attempt_at = now() - interval '10 years' where mailbox_id = :id
				""").param("id", id).update());
	}

	private List<String> auditActions(UUID id) {
		return inOrganization(tenant.orgId(), () -> jdbc.sql("select action from mailroom.audit_events where target = :target order by action")
			.param("target", "mailbox:" + id).query(String.class).list());
	}

	private <T> T inOrganization(UUID orgId, java.util.function.Supplier<T> work) {
		return transactions.execute(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", orgId.toString()).query(String.class).single();
			return work.get();
		});
	}

	/** The real doveadm client, connected to the application for this test only. */
	private void connect(String baseUrl) {
		connected.set(new DoveadmMailStore(new Doveadm(baseUrl, KEY, JSON)));
		var beans = (DefaultListableBeanFactory) context.getBeanFactory();
		if (!beans.containsSingleton(STORE_BEAN)) {
			MailStore delegate = new MailStore() {

				@Override
				public Map<String, StoredMail> usage(java.util.Collection<String> addresses) {
					return connected.get().usage(addresses);
				}

				@Override
				public void wipePurged(UUID mailboxId) {
					connected.get().wipePurged(mailboxId);
				}
			};
			beans.registerSingleton(STORE_BEAN, delegate);
		}
	}

	/** A doveadm that checks the key and answers each command with {@link #exitCode}. */
	private String startFake() throws IOException {
		fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String expected = "X-Dovecot-API "
				+ java.util.Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
		fake.createContext("/doveadm/v1", exchange -> {
			try (exchange) {
				if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
					exchange.sendResponseHeaders(401, -1);
					return;
				}
				List<Object> answers = new ArrayList<>();
				for (JsonNode command : JSON.readTree(exchange.getRequestBody().readAllBytes())) {
					asked.add(command.get(0).asString() + " " + command.get(1).path("user").asString(""));
					Integer code = exitCode.get();
					answers.add(code == null
							? List.of("doveadmResponse",
									command.get(0).asString().equals("mailboxList")
											? List.of(Map.of("mailbox", "INBOX"), Map.of("mailbox", "Sent")) : List.of(),
									command.get(2).asString())
							: List.of("error", Map.of("type", "exitCode", "exitCode", code), command.get(2).asString()));
				}
				byte[] body = JSON.writeValueAsBytes(answers);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		});
		fake.start();
		return "http://127.0.0.1:" + fake.getAddress().getPort();
	}
}
