package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@MailroomTest
@ExtendWith(OutputCaptureExtension.class)
class SetupInviteTests {

	static final String PW = "Sturdy-Invitee-Pass-4";
	static final Pattern LINK = Pattern.compile("(http://localhost:\\d+/invite/([A-Za-z0-9_-]{64}))");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;
	TestMailServer mail = TestMailServer.shared();

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "inv-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		var added = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain));
		domainId = added.text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
	}

	TestApi.Response invite(String recipient, Map<String, Object> extra) {
		Map<String, Object> body = new HashMap<>(Map.of("domain_id", domainId, "recipient_email", recipient));
		body.putAll(extra);
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites", body);
	}

	static String recipient() {
		return "person-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
	}

	static String tokenOf(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	String linkInEmail(MimeMessage message) {
		Matcher matcher = LINK.matcher(TestMailServer.text(message));
		assertThat(matcher.find()).as("the email carries the link").isTrue();
		return matcher.group(1);
	}

	@Test
	void theRecipientFollowsTheLinkFromTheEmailAndCreatesTheirMailbox(CapturedOutput output) {
		String to = recipient();
		var sent = invite(to, Map.of());
		assertThat(sent.status()).isEqualTo(201);
		assertThat(sent.text("status")).isEqualTo("pending");
		assertThat(sent.text("kind")).isEqualTo("mailbox_setup");

		List<MimeMessage> messages = mail.await(to, 1, Duration.ofSeconds(20));
		assertThat(messages).hasSize(1);
		String link = linkInEmail(messages.getFirst());
		assertThat(link).isEqualTo(sent.text("link"));
		assertThat(TestMailServer.text(messages.getFirst())).contains("Owner").contains(domain).contains("expires");
		assertThat(TestMailServer.html(messages.getFirst())).contains("href=\"" + link + "\"");
		String token = tokenOf(link);

		var info = api.anonymous("GET", "/api/v1/invitations/" + token, null);
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.text("organization_name")).startsWith("Org ");
		assertThat(info.text("domain")).isEqualTo(domain);
		assertThat(info.json().get("local_part_choosable").asBoolean()).isTrue();
		assertThat(info.header("Cache-Control")).isEqualTo("no-store");
		assertThat(info.header("Referrer-Policy")).isEqualTo("no-referrer");

		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token + "/availability?local_part=Dana", null)
			.json().get("available").asBoolean()).isTrue();
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				Map.of("local_part", "Dana", "password", PW));
		assertThat(accepted.status()).isEqualTo(201);
		assertThat(accepted.json().get("mailbox").get("address").asString()).isEqualTo("dana@" + domain);
		assertThat(accepted.text("recovery_code")).matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){3}");

		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "dana@" + domain, PW, null).status()).isEqualTo(200);
		var invite = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id"), null);
		assertThat(invite.text("status")).isEqualTo("accepted");
		assertThat(invite.text("mailbox_id")).isEqualTo(accepted.json().get("mailbox").get("id").asString());
		assertThat(invite.json().get("delivery").get("status").asString()).isEqualTo("sent");

		var again = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept", Map.of("local_part", "dana2", "password", PW));
		assertThat(again.status()).isEqualTo(410);
		assertThat(again.code()).isEqualTo("invite_used");

		assertThat(output.getAll()).doesNotContain(token).doesNotContain(PW);
	}

	@Test
	void openingTheLinkChangesNothing() {
		var sent = invite(recipient(), Map.of());
		String token = tokenOf(sent.text("link"));
		for (int i = 0; i < 5; i++) {
			assertThat(api.anonymous("GET", "/api/v1/invitations/" + token, null).status()).isEqualTo(200);
			assertThat(api.anonymous("HEAD", "/api/v1/invitations/" + token, null).status()).isEqualTo(200);
		}
		var invite = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id"), null);
		assertThat(invite.text("status")).isEqualTo("pending");
		assertThat(invite.json().get("send_count").asInt()).isEqualTo(1);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id") + "/link", null)
			.text("link")).isEqualTo(sent.text("link"));
	}

	@Test
	void resendAndReaddressKillTheOldLink() {
		String first = recipient();
		var sent = invite(first, Map.of());
		String oldToken = tokenOf(sent.text("link"));

		var resent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + sent.text("id") + "/resend", null);
		assertThat(resent.status()).isEqualTo(200);
		assertThat(resent.text("link")).isNotEqualTo(sent.text("link"));
		assertThat(resent.json().get("send_count").asInt()).isEqualTo(2);
		var old = api.anonymous("GET", "/api/v1/invitations/" + oldToken, null);
		assertThat(old.status()).isEqualTo(410);
		assertThat(old.code()).isEqualTo("invite_canceled");

		String second = recipient();
		var readdressed = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/invites/" + sent.text("id"),
				Map.of("recipient_email", second));
		assertThat(readdressed.text("recipient_email")).isEqualTo(second);
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + tokenOf(resent.text("link")), null).status()).isEqualTo(410);
		List<MimeMessage> toSecond = mail.await(second, 1, Duration.ofSeconds(20));
		assertThat(linkInEmail(toSecond.getFirst())).isEqualTo(readdressed.text("link"));
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + tokenOf(readdressed.text("link")), null).status())
			.isEqualTo(200);
	}

	@Test
	void cancelKillsTheLinkAndFreesTheSlot() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("mailboxes_per_domain", 1)));
		var sent = invite(recipient(), Map.of());
		var blocked = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "direct"));
		assertThat(blocked.status()).isEqualTo(409);
		assertThat(blocked.code()).isEqualTo("plan_limit_reached");
		var secondInvite = invite(recipient(), Map.of());
		assertThat(secondInvite.code()).isEqualTo("plan_limit_reached");

		var canceled = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + sent.text("id") + "/cancel", null);
		assertThat(canceled.text("status")).isEqualTo("canceled");
		var gone = api.anonymous("POST", "/api/v1/invitations/" + tokenOf(sent.text("link")) + "/accept",
				Map.of("local_part", "late", "password", PW));
		assertThat(gone.status()).isEqualTo(410);
		assertThat(gone.code()).isEqualTo("invite_canceled");
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "direct"))
			.status()).isEqualTo(201);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id") + "/link", null).code())
			.isEqualTo("invite_not_pending");
	}

	@Test
	void anExpiredLinkIsGoneAndItsSlotIsFree() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("mailboxes_per_domain", 1)));
		var sent = invite(recipient(), Map.of("expires_in_hours", 1));
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString()).query(String.class).single();
			jdbc.sql("update mailroom.invites set expires_at = now() - interval '1 second' where id = :id")
				.param("id", UUID.fromString(sent.text("id"))).update();
		});
		var expired = api.anonymous("GET", "/api/v1/invitations/" + tokenOf(sent.text("link")), null);
		assertThat(expired.status()).isEqualTo(410);
		assertThat(expired.code()).isEqualTo("invite_expired");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + sent.text("id"), null).text("status"))
			.isEqualTo("expired");
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", Map.of("domain_id", domainId, "local_part", "slot"))
			.status()).isEqualTo(201);
		var revived = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + sent.text("id") + "/resend", null);
		assertThat(revived.status()).as("no room left for the revived invite").isEqualTo(409);
		assertThat(revived.code()).isEqualTo("plan_limit_reached");
	}

	@Test
	void aFixedLocalPartCannotBeChanged() {
		var sent = invite(recipient(), Map.of("local_part", "Fixed.Name"));
		String token = tokenOf(sent.text("link"));
		var info = api.anonymous("GET", "/api/v1/invitations/" + token, null);
		assertThat(info.json().get("local_part_choosable").asBoolean()).isFalse();
		assertThat(info.text("address")).isEqualTo("fixed.name@" + domain);
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token + "/availability?local_part=other", null).text("code"))
			.isEqualTo("local_part_fixed");
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept", Map.of("password", PW));
		assertThat(accepted.status()).isEqualTo(201);
		assertThat(accepted.json().get("mailbox").get("address").asString()).isEqualTo("fixed.name@" + domain);
		assertThat(invite(recipient(), Map.of("local_part", "fixed.name")).code()).isEqualTo("local_part_taken");
	}

	@Test
	void invalidInvitesAreRefusedWithACode() {
		assertThat(invite("not an email", Map.of()).code()).isEqualTo("invalid_email");
		assertThat(invite(recipient(), Map.of("expires_in_hours", 721)).code()).isEqualTo("out_of_range");
		assertThat(invite(recipient(), Map.of("language", "xx")).code()).isEqualTo("invalid_language");
		assertThat(invite(recipient(), Map.of("local_part", "a..b")).code()).isEqualTo("invalid_local_part");
		String to = recipient();
		assertThat(invite(to, Map.of()).status()).isEqualTo(201);
		assertThat(invite(to, Map.of()).code()).isEqualTo("already_invited");
		var pending = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", "p-" + UUID.randomUUID() + ".example"));
		var onPending = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", pending.text("id"), "recipient_email", recipient()));
		assertThat(onPending.code()).isEqualTo("domain_not_active");
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + "A".repeat(64), null).status()).isEqualTo(404);
		assertThat(api.anonymous("GET", "/api/v1/invitations/short", null).status()).isEqualTo(404);
	}

	@Test
	void pendingInvitesReserveTheirStorage() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("storage_pool_mb", 1000)));
		assertThat(invite(recipient(), Map.of("storage_allocation_mb", 800)).status()).isEqualTo(201);
		var over = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "big", "storage_allocation_mb", 300));
		assertThat(over.code()).isEqualTo("storage_pool_exceeded");
	}

	@Test
	void manyParallelAcceptsOfOneLinkMakeExactlyOneMailbox() throws Exception {
		String token = tokenOf(invite(recipient(), Map.of()).text("link"));
		List<Integer> statuses = Race.of(20, i -> api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				Map.of("local_part", "racer" + i, "password", PW)).status());
		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
		assertThat(statuses.stream().filter(s -> s == 410).count()).isEqualTo(19);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=racer", null).json().get("items").size()).isEqualTo(1);
	}

	@Test
	void twoInvitesRacingForOneLocalPartGiveItToOne() throws Exception {
		String a = tokenOf(invite(recipient(), Map.of()).text("link"));
		String b = tokenOf(invite(recipient(), Map.of()).text("link"));
		List<String> tokens = List.of(a, b);
		List<TestApi.Response> responses = new ArrayList<>();
		Race.of(2, i -> {
			var r = api.anonymous("POST", "/api/v1/invitations/" + tokens.get(i) + "/accept", Map.of("local_part", "wanted", "password", PW));
			synchronized (responses) {
				responses.add(r);
			}
			return r.status();
		});
		assertThat(responses).extracting(TestApi.Response::status).containsExactlyInAnyOrder(201, 409);
		assertThat(responses.stream().filter(r -> r.status() == 409).findFirst().orElseThrow().code()).isEqualTo("local_part_taken");
	}

	@Test
	void bulkResendAndCancelReportEachInvite() {
		String one = invite(recipient(), Map.of()).text("id");
		String two = invite(recipient(), Map.of()).text("id");
		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites/" + two + "/cancel", null);
		String unknown = UUID.randomUUID().toString();
		var resend = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites:bulk-resend", Map.of("ids", List.of(one, two, unknown)));
		assertThat(resend.status()).isEqualTo(200);
		var items = resend.json().get("items");
		assertThat(items.get(0).get("status").asString()).isEqualTo("pending");
		assertThat(items.get(1).get("error").get("code").asString()).isEqualTo("invite_not_pending");
		assertThat(items.get(2).get("error").get("code").asString()).isEqualTo("not_found");
		var cancel = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites:bulk-cancel", Map.of("ids", List.of(one)));
		assertThat(cancel.json().get("items").get(0).get("status").asString()).isEqualTo("canceled");
	}

	@Test
	void theEmailSpeaksTheInvitationLanguage() throws Exception {
		String fr = recipient();
		String de = recipient();
		invite(fr, Map.of("language", "fr"));
		invite(de, Map.of("language", "de"));
		assertThat(mail.await(fr, 1, Duration.ofSeconds(20)).getFirst().getSubject()).contains("vous invite");
		assertThat(mail.await(de, 1, Duration.ofSeconds(20)).getFirst().getSubject()).contains("lädt Sie ein");
	}

	@Test
	void anotherOrganizationCannotSeeOrTouchTheInvite() {
		String id = invite(recipient(), Map.of()).text("id");
		var other = api.newTenant("starter");
		for (var call : List.of(List.of("GET", "/api/v1/mailboxes/invites/" + id), List.of("POST", "/api/v1/mailboxes/invites/" + id + "/resend"),
				List.of("POST", "/api/v1/mailboxes/invites/" + id + "/cancel"), List.of("GET", "/api/v1/mailboxes/invites/" + id + "/link"))) {
			assertThat(api.bearer(other.apiKey(), call.get(0), call.get(1), null).status()).as(call.toString()).isEqualTo(404);
		}
		assertThat(api.bearer(other.apiKey(), "GET", "/api/v1/mailboxes/invites", null).json().get("items").size()).isZero();
	}

	@Test
	void aRelayThatIsDownDelaysTheEmailButLosesNothing() throws Exception {
		String to = recipient();
		mail.stop();
		String id;
		try {
			id = invite(to, Map.of()).text("id");
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			String lastError = null;
			while (lastError == null && System.nanoTime() < deadline) {
				Thread.sleep(200);
				var delivery = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + id, null).json().get("delivery");
				lastError = delivery.get("last_error") == null ? null : delivery.get("last_error").asString();
			}
			assertThat(lastError).as("the failed attempt is visible on the invite").isNotBlank();
		}
		finally {
			mail.start();
		}
		assertThat(mail.await(to, 1, Duration.ofSeconds(30))).hasSize(1);
		Thread.sleep(3000);
		assertThat(mail.messagesTo(to)).as("delivered once").hasSize(1);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + id, null).json().get("delivery")
			.get("status").asString()).isEqualTo("sent");
	}
}
