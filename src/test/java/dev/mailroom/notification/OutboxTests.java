package dev.mailroom.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@MailroomTest
class OutboxTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	EmailTemplates templates;

	@Test
	void aMessageClaimedByAnInstanceThatDiedIsDeliveredOnceItsLeaseRunsOut() {
		TestApi api = new TestApi(port);
		var tenant = api.newTenant("starter");
		String domain = "o-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
		String to = "orphan-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		String inviteId = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", to)).text("id");
		TestMailServer.shared().await(to, 1, Duration.ofSeconds(20));

		// the same message again, as an instance would leave it when killed between claim and delivery
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("""
					insert into mailroom.outbox_messages (id, org_id, template, language, recipient, parameters, reference,
					  status, attempts, claimed_until)
					select :id, org_id, template, language, recipient, parameters, reference, 'sending', 1,
					  now() - interval '1 second'
					from mailroom.outbox_messages where reference = :ref limit 1
					""").param("id", UUID.randomUUID()).param("ref", "invite:" + inviteId).update();
		});

		assertThat(TestMailServer.shared().await(to, 2, Duration.ofSeconds(20))).hasSize(2);
	}

	@Test
	void emailsEscapeWhatPeopleTypedAndComeInThreeLanguages() {
		Map<String, Object> variables = new java.util.HashMap<>(Map.of("organization", "<b>Acme</b>", "inviter",
				"<script>alert(1)</script>", "domain", "acme.test", "recipient", "a@b.test", "link",
				"http://localhost/invite/x", "expires", "1 January 2027"));
		variables.put("address", null);
		EmailMessage en = templates.render("mailbox-setup-invite", Locale.ENGLISH, variables, "<b>Acme</b>", "acme.test");
		assertThat(en.html()).doesNotContain("<script>").contains("&lt;script&gt;").doesNotContain("<b>Acme</b>");
		assertThat(en.text()).contains("http://localhost/invite/x").contains("1 January 2027");
		assertThat(en.subject()).contains("invited you");
		assertThat(templates.render("mailbox-setup-invite", Locale.FRENCH, variables, "A", "d").text()).contains("Bonjour");
		assertThat(templates.render("mailbox-setup-invite", Locale.GERMAN, variables, "A", "d").text()).contains("Hallo");
	}
}
