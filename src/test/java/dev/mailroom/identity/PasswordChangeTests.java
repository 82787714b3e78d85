package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import dev.mailroom.mailbox.MailboxAccessEnded;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.OrgRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * A password change (own, admin reset, recovery code) ends the person's other web sessions and
 * tells the mail plane to end their IMAP sessions; a recovery code works once even in a race.
 */
@MailroomTest
@RecordApplicationEvents
class PasswordChangeTests {

	static final String PW = "Correct-horse-battery-9";
	static final String NEW_PW = "Brand-new-stable-42";

	@LocalServerPort
	int port;

	@Autowired
	LoginService logins;

	@Autowired
	ApplicationEvents events;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = api.activeDomain(tenant, "pwchange");
		domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0).get("id")
			.asString();
	}

	/** A regular mailbox; returns its API answer ({@code mailbox}, {@code recovery_code}). */
	TestApi.Response mailbox(String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created;
	}

	static boolean signedOut(WebSession session) {
		HttpResponse<String> page = session.get("/account");
		return page.statusCode() == 302 && page.headers().firstValue("Location").orElse("").contains("/signin");
	}

	@Test
	void ownPasswordChangeSignsOutTheOtherSessionsButNotThisOne() {
		mailbox("alice");
		String address = "alice@" + domain;
		WebSession here = WebSession.signIn(api.base(), address, PW);
		WebSession elsewhere = WebSession.signIn(api.base(), address, PW);
		assertThat(signedOut(elsewhere)).isFalse();

		var changed = here.post("/account/password", Map.of("current_password", PW, "new_password", NEW_PW), "/account");
		assertThat(changed.statusCode()).isEqualTo(302);
		assertThat(changed.headers().firstValue("Location").orElse("")).endsWith("/account");

		assertThat(signedOut(elsewhere)).as("the other browser is signed out").isTrue();
		assertThat(here.get("/account").statusCode()).as("the browser that made the change stays").isEqualTo(200);
		WebSession.signIn(api.base(), address, NEW_PW);
	}

	@Test
	void ownerChangingTheirPasswordSignsOutTheirOtherSessions() {
		WebSession here = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		WebSession elsewhere = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		here.post("/account/password", Map.of("current_password", TestApi.PASSWORD, "new_password", NEW_PW), "/account");
		assertThat(signedOut(elsewhere)).isTrue();
		assertThat(signedOut(here)).isFalse();
	}

	@Test
	void adminResetSignsOutEverySessionOfTheMailbox() {
		String id = mailbox("bob").json().get("mailbox").get("id").asString();
		WebSession one = WebSession.signIn(api.base(), "bob@" + domain, PW);
		WebSession two = WebSession.signIn(api.base(), "bob@" + domain, PW);

		var reset = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/reset-password",
				Map.of("password", NEW_PW));
		assertThat(reset.status()).as(reset.raw().body()).isEqualTo(200);

		assertThat(signedOut(one)).isTrue();
		assertThat(signedOut(two)).isTrue();
	}

	@Test
	void recoveryResetSignsOutEverySessionOfTheMailbox() {
		String code = mailbox("carol").text("recovery_code");
		WebSession one = WebSession.signIn(api.base(), "carol@" + domain, PW);
		WebSession two = WebSession.signIn(api.base(), "carol@" + domain, PW);

		var reset = api.anonymous("POST", "/api/v1/recovery/reset",
				Map.of("address", "carol@" + domain, "recovery_code", code, "new_password", NEW_PW));
		assertThat(reset.status()).as(reset.raw().body()).isEqualTo(200);

		assertThat(signedOut(one)).isTrue();
		assertThat(signedOut(two)).isTrue();
	}

	@Test
	void everyPasswordChangeEndsTheMailboxsImapSessionsOnce() {
		var created = mailbox("dave");
		String address = "dave@" + domain;
		UUID userId = UUID.fromString(loginId(address));
		Actor self = new Actor(Actor.Kind.USER, userId, address, null, null, null, null, null, "127.0.0.1");

		logins.changeOwnPassword(self, PW, NEW_PW, null);
		assertThat(ended(address)).containsExactly("password_changed");

		events.clear();
		logins.resetWithRecoveryCode(address, created.text("recovery_code"), "Third-password-77", "127.0.0.1");
		assertThat(ended(address)).containsExactly("recovery_reset");

		events.clear();
		Actor owner = new Actor(Actor.Kind.USER, tenant.ownerId(), tenant.ownerEmail(), tenant.orgId(), OrgRole.OWNER,
				null, null, null, "127.0.0.1");
		mailboxes.resetPassword(owner, UUID.fromString(created.json().get("mailbox").get("id").asString()),
				"Fourth-password-88");
		assertThat(ended(address)).containsExactly("password_reset");
	}

	@Autowired
	MailboxService mailboxes;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@Test
	void aPasswordChangeAlsoEndsTheSessionsInSharedAndGrantedMailboxes() {
		String graceId = mailbox("grace").json().get("mailbox").get("id").asString();
		String infoId = mailbox("info").json().get("mailbox").get("id").asString();
		var shared = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "desk", "members", List.of(Map.of("mailbox_id", graceId))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		String address = "grace@" + domain;
		UUID grace = UUID.fromString(loginId(address));
		// a grant as an accepted address-access invite leaves it
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("insert into mailroom.grants (org_id, mailbox_id, user_id, permission) values (:org, :m, :u, 'reply')")
				.param("org", tenant.orgId()).param("m", UUID.fromString(infoId)).param("u", grace).update();
		});

		logins.changeOwnPassword(new Actor(Actor.Kind.USER, grace, address, null, null, null, null, null, "127.0.0.1"),
				PW, NEW_PW, null);

		assertThat(ended(address)).containsExactly("password_changed");
		assertThat(ended("desk@" + domain)).containsExactly("password_changed_member");
		assertThat(ended("info@" + domain)).containsExactly("password_changed_grant");
	}

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	String loginId(String address) {
		return jdbc.sql("select id from mailroom.users where email = :e").param("e", address).query(String.class).single();
	}

	List<String> ended(String address) {
		return events.stream(MailboxAccessEnded.class)
			.filter(e -> e.address().equals(address))
			.map(MailboxAccessEnded::reason)
			.toList();
	}

	@Test
	void aRecoveryCodeWorksOnceUnderParallelResets() throws Exception {
		String code = mailbox("frank").text("recovery_code");
		List<Integer> statuses = Race.of(5, i -> api.anonymous("POST", "/api/v1/recovery/reset",
				Map.of("address", "frank@" + domain, "recovery_code", code, "new_password", "Parallel-pass-" + i + "x"))
			.status());
		assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
		assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 400 || s == 429);
	}
}
