package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Sharing an existing address with a person by link (API.md "Address-access invites"). */
@MailroomTest
class AddressAccessTests {

	static final String PW = "Sturdy-Guest-Pass-8";
	static final Pattern LINK = Pattern.compile("(http://localhost:\\d+/invite/([A-Za-z0-9_-]{64}))");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestApi api;
	TestApi.Tenant tenant;
	String mailboxId;
	String address;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		String domain = "share-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
		address = "info@" + domain;
		mailboxId = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "info", "password", PW)).json().get("mailbox").get("id").asString();
	}

	String guest() {
		String email = "guest-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		api.signUpVerified(email, PW, "Guest");
		return email;
	}

	/** Shares the regular mailbox as its admin, with the address's own password (seed 003). */
	TestApi.Response share(Map<String, Object> body) {
		Map<String, Object> proven = new HashMap<>(body);
		proven.putIfAbsent("mailbox_password", PW);
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites", proven);
	}

	static String token(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	TestApi.Response accept(String token, String email) {
		return api.basic("POST", "/api/v1/invitations/" + token + "/accept", email, PW, Map.of());
	}

	List<String> openable(String email) {
		List<String> items = new ArrayList<>();
		api.basic("GET", "/api/v1/me/mailboxes", email, PW, null).json().get("items")
			.forEach(i -> items.add(i.get("address").asString() + " " + i.get("access").asString() + " " + i.get("permission").asString()));
		return items;
	}

	@Test
	void aGuestAcceptsTheLinkFromTheEmailUsesTheAddressAndLosesItWhenRevoked() {
		String guest = guest();
		var sent = share(Map.of("recipient_email", guest.toUpperCase(), "permission", "read_only", "language", "fr"));
		assertThat(sent.status()).isEqualTo(201);
		assertThat(sent.text("kind")).isEqualTo("address_access");
		assertThat(sent.text("permission")).isEqualTo("read_only");

		// the first email was the guest's own verification link
		var email = TestMailServer.shared().await(guest, 2, Duration.ofSeconds(20));
		assertThat(email).hasSize(2);
		Matcher link = LINK.matcher(TestMailServer.text(email.getLast()));
		assertThat(link.find()).isTrue();
		assertThat(link.group(1)).isEqualTo(sent.text("link"));

		var info = api.anonymous("GET", "/api/v1/invitations/" + link.group(2), null);
		assertThat(info.text("kind")).isEqualTo("address_access");
		assertThat(info.text("address")).isEqualTo(address);
		assertThat(info.text("permission")).isEqualTo("read_only");
		assertThat(info.text("inviter_name")).isEqualTo("Owner");

		var accepted = accept(link.group(2), guest);
		assertThat(accepted.status()).isEqualTo(200);
		assertThat(accepted.text("mailbox_id")).isEqualTo(mailboxId);
		assertThat(openable(guest)).containsExactly(address + " grant read_only");
		assertThat(TestMailServer.shared().await(address, 1, Duration.ofSeconds(20))).as("the address is told").hasSize(1);

		var grants = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json().get("items");
		assertThat(grants.size()).isEqualTo(1);
		String userId = grants.get(0).get("user_id").asString();
		assertThat(grants.get(0).get("email").asString()).isEqualTo(guest);

		var patched = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + mailboxId + "/grants/" + userId,
				Map.of("permission", "reply"));
		assertThat(patched.text("permission")).isEqualTo("reply");
		assertThat(openable(guest)).containsExactly(address + " grant reply");

		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + mailboxId + "/grants/" + userId, null)
			.status()).isEqualTo(204);
		assertThat(openable(guest)).isEmpty();
		assertThat(TestMailServer.shared().await(address, 2, Duration.ofSeconds(20))).as("told of the revocation").hasSize(2);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?limit=200", null).raw().body())
			.contains("invite.address_shared").contains("grant.created").contains("grant.updated").contains("grant.revoked");
	}

	@Test
	void aLinkForOneEmailOnlyWorksForThatAccount() {
		String invited = guest();
		String other = guest();
		String link = token(share(Map.of("recipient_email", invited, "permission", "reply")).text("link"));
		var wrong = accept(link, other);
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(wrong.code()).isEqualTo("invite_email_mismatch");
		assertThat(accept(link, invited).status()).isEqualTo(200);
	}

	@Test
	void aSharingLinkWorksOnceAndOnlyForAVerifiedAccount() {
		var sent = share(Map.of("permission", "read_only"));
		assertThat(sent.json().get("recipient_email").isNull()).isTrue();
		String link = token(sent.text("link"));
		String newcomer = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		// a link sent to nobody in particular proves no inbox: it cannot make (verify) an account
		var created = api.anonymous("POST", "/api/v1/invitations/" + link + "/accept",
				Map.of("create_account", Map.of("email", newcomer, "password", PW, "name", "Newcomer")));
		assertThat(created.status()).isEqualTo(403);
		assertThat(created.code()).isEqualTo("verification_required");
		api.signUpVerified(newcomer, PW, "Newcomer");
		assertThat(accept(link, newcomer).status()).isEqualTo(200);
		assertThat(openable(newcomer)).containsExactly(address + " grant read_only");
		var second = accept(link, guest());
		assertThat(second.status()).isEqualTo(410);
		assertThat(second.code()).isEqualTo("invite_used");
		assertThat(api.anonymous("POST", "/api/v1/invitations/" + token(share(Map.of("permission", "reply")).text("link"))
				+ "/accept", Map.of()).status()).as("neither signed in nor a new account").isEqualTo(401);
	}

	@Test
	void tenConcurrentAcceptsOfOneSharingLinkMakeOneGrant() throws Exception {
		String link = token(share(Map.of("permission", "reply")).text("link"));
		List<String> guests = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			guests.add(guest());
		}
		List<Integer> statuses = Race.of(10, i -> accept(link, guests.get(i)).status());
		assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
		assertThat(statuses.stream().filter(s -> s == 410).count()).isEqualTo(9);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).json()
			.get("items").size()).isEqualTo(1);
	}

	@Test
	void theAddressCannotBeSharedWithItsOwnLoginNorTwiceWithOnePerson() {
		var own = share(Map.of("recipient_email", address, "permission", "reply"));
		assertThat(own.status()).isEqualTo(422);
		assertThat(own.code()).isEqualTo("own_address");
		var byItself = accept(token(share(Map.of("permission", "reply")).text("link")), address);
		assertThat(byItself.status()).isEqualTo(422);
		assertThat(byItself.code()).isEqualTo("own_address");

		String guest = guest();
		assertThat(accept(token(share(Map.of("permission", "reply")).text("link")), guest).status()).isEqualTo(200);
		var twice = accept(token(share(Map.of("permission", "read_only")).text("link")), guest);
		assertThat(twice.status()).isEqualTo(409);
		assertThat(twice.code()).isEqualTo("already_member");
		assertThat(share(Map.of("permission", "admin")).code()).isEqualTo("invalid_permission");
		assertThat(share(Map.of("permission", "reply", "access_until", "2000-01-01T00:00:00Z")).code()).isEqualTo("out_of_range");
	}

	@Test
	void anExpiredGrantIsNoLongerListed() {
		String guest = guest();
		String until = Instant.now().plusSeconds(3600).toString();
		accept(token(share(Map.of("recipient_email", guest, "permission", "read_only", "access_until", until)).text("link")), guest);
		assertThat(openable(guest)).hasSize(1);
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class).single();
			jdbc.sql("update mailroom.grants set access_until = now() - interval '1 second' where mailbox_id = :m")
				.param("m", UUID.fromString(mailboxId)).update();
		});
		assertThat(openable(guest)).isEmpty();
	}

	@Test
	void pendingAccessInvitesAreManagedAndIsolated() {
		var sent = share(Map.of("recipient_email", guest(), "permission", "reply"));
		String id = sent.text("id");
		var list = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/access-invites", null);
		assertThat(list.json().get("items").size()).isEqualTo(1);
		var resent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites/" + id + "/resend", null);
		assertThat(resent.text("link")).isNotEqualTo(sent.text("link"));
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token(sent.text("link")), null).status()).isEqualTo(410);

		var other = api.newTenant("starter");
		Map<String, Object> body = new HashMap<>(Map.of("permission", "reply"));
		assertThat(api.bearer(other.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites", body).status()).isEqualTo(404);
		assertThat(api.bearer(other.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId + "/grants", null).status()).isEqualTo(404);
		assertThat(api.bearer(other.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites/" + id + "/cancel", null)
			.status()).isEqualTo(404);

		var canceled = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites/" + id + "/cancel", null);
		assertThat(canceled.text("status")).isEqualTo("canceled");
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token(resent.text("link")), null).code()).isEqualTo("invite_canceled");
	}
}
