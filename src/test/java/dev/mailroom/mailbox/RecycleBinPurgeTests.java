package dev.mailroom.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The purge job without a mail plane: it purges, keeps the wipes pending, and the start of the
 * application says how many purged mailboxes still have mail in the mail plane.
 */
@MailroomTest
class RecycleBinPurgeTests {

	@Autowired
	RecycleBinPurge job;

	@Autowired
	MailboxService mailboxService;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@LocalServerPort
	int port;

	@Test
	void theJobPurgesKeepsTheWipePendingAndTheStartSaysHowManyWait() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "job");
		String domainId = null;
		for (var d : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (d.get("name").asString().equals(domain)) {
				domainId = d.get("id").asString();
			}
		}
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "old", "password", "Correct-horse-battery-9"));
		UUID id = UUID.fromString(created.json().get("mailbox").get("id").asString());
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(204);
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("update mailroom.mailboxes set purge_at = now() - interval '1 second' where id = :id").param("id", id)
				.update();
		});

		job.purge();
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null).status()).isEqualTo(404);
		long pending = mailboxService.pendingMailWipes();
		assertThat(pending).isPositive();

		Logger logger = (Logger) LoggerFactory.getLogger(RecycleBinPurge.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			job.reportPendingWipes();
		}
		finally {
			logger.detachAppender(appender);
		}
		assertThat(appender.list).singleElement().satisfies(event -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).startsWith(pending + " purged mailbox(es) still have mail")
				.contains("MAILROOM_MAILPLANE_DOVEADM_URL");
		});
	}
}
