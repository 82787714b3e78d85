package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Email verification and the operator's ownership invitation (issue 15 item 2, API.md "Sign-up and
 * keys", "Operator"): an unverified sign-up signs in to nothing, owns nothing and blocks no address.
 */
@MailroomTest
class EmailVerificationTests {

	static final String ATTACKER_PW = "Attacker-Chose-This-1";
	static final String OPERATOR_PW = "Operator-Gave-This-2";
	static final Pattern OWNERSHIP_LINK = Pattern.compile("/ownership/([A-Za-z0-9_-]{64})");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.test";
	}

	TestApi.Response createOrganization(String ownerEmail, String password) {
		return api.operator("POST", "/api/v1/operator/organizations", Map.of("name", "Customer", "plan", "pro", "owner",
				Map.of("email", ownerEmail, "password", password, "name", "The CEO")));
	}

	TestApi.Response newKey(String email, String password, Object orgId) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "k", "scopes", List.of("domains:read")));
		if (orgId != null) {
			body.put("organization_id", orgId.toString());
		}
		return api.basic("POST", "/api/v1/api-keys", email, password, body);
	}

	@Test
	void anUnverifiedSignUpDoesNotBecomeOwnerOfTheOrganizationTheOperatorCreatesForItsEmail() {
		String ceo = email("ceo");
		String attackerLink = api.signUpLink(ceo, ATTACKER_PW, "Mallory");

		var org = createOrganization(ceo, OPERATOR_PW);
		assertThat(org.status()).isEqualTo(201);
		assertThat(org.text("owner_status")).isEqualTo("created");
		assertThat(org.json().get("owner_user_id").isNull()).isFalse();

		assertThat(newKey(ceo, OPERATOR_PW, org.text("id")).status()).as("the operator's password works").isEqualTo(201);
		var attacker = newKey(ceo, ATTACKER_PW, null);
		assertThat(attacker.status()).as("the attacker's does not").isEqualTo(401);
		assertThat(attacker.code()).isEqualTo("unauthorized");
		var oldLink = api.anonymous("POST", "/api/v1/email-verifications/" + attackerLink, null);
		assertThat(oldLink.status()).as("the attacker's link died with the sign-up").isIn(404, 410);
		assertThat(jdbc.sql("select count(*) from mailroom.users where email = :e").param("e", ceo).query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void anEmailWithAnAccountIsInvitedToOwnAndOwnsOnlyAfterAccepting() {
		String ceo = email("owner");
		String userId = api.signUpVerified(ceo, ATTACKER_PW, "Existing").text("user_id");

		var org = createOrganization(ceo, OPERATOR_PW);
		assertThat(org.status()).isEqualTo(201);
		assertThat(org.text("owner_status")).isEqualTo("invited");
		assertThat(org.json().get("owner_user_id").isNull()).isTrue();
		String orgId = org.text("id");

		assertThat(newKey(ceo, OPERATOR_PW, orgId).status()).as("the given password is not used").isEqualTo(401);
		assertThat(newKey(ceo, ATTACKER_PW, orgId).status()).as("not an owner before accepting").isIn(403, 404);

		var mails = TestMailServer.shared().await(ceo, 2, Duration.ofSeconds(20));
		assertThat(mails).hasSize(2);
		Matcher link = OWNERSHIP_LINK.matcher(TestMailServer.text(mails.getLast()));
		assertThat(link.find()).isTrue();
		String token = link.group(1);

		var offer = api.anonymous("GET", "/api/v1/ownership-invitations/" + token, null);
		assertThat(offer.status()).isEqualTo(200);
		assertThat(offer.text("organization_id")).isEqualTo(orgId);

		String stranger = email("stranger");
		api.signUpVerified(stranger, ATTACKER_PW, "Stranger");
		var wrong = api.basic("POST", "/api/v1/ownership-invitations/" + token + "/accept", stranger, ATTACKER_PW, null);
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(wrong.code()).isEqualTo("invite_email_mismatch");
		assertThat(api.anonymous("POST", "/api/v1/ownership-invitations/" + token + "/accept", null).status())
			.isEqualTo(401);

		var accepted = api.basic("POST", "/api/v1/ownership-invitations/" + token + "/accept", ceo, ATTACKER_PW, null);
		assertThat(accepted.status()).isEqualTo(200);
		assertThat(accepted.text("organization_id")).isEqualTo(orgId);
		assertThat(newKey(ceo, ATTACKER_PW, orgId).status()).isEqualTo(201);
		var key = api.basic("POST", "/api/v1/api-keys", ceo, ATTACKER_PW,
				Map.of("organization_id", orgId, "name", "team", "scopes", List.of("team:read"))).text("token");
		assertThat(api.bearer(key, "GET", "/api/v1/team", null).text("owner_user_id")).isEqualTo(userId);
		var again = api.basic("POST", "/api/v1/ownership-invitations/" + token + "/accept", ceo, ATTACKER_PW, null);
		assertThat(again.status()).isEqualTo(410);
		assertThat(again.code()).isEqualTo("invite_used");
	}

	@Test
	void signUpAnswersTheSameForANewAndAnExistingEmailAndChangesNothingOfTheExistingAccount() {
		String existing = email("known");
		api.signUpVerified(existing, TestApi.PASSWORD, "Known");
		String fresh = email("fresh");

		var known = api.anonymous("POST", "/api/v1/signup",
				Map.of("email", existing, "password", ATTACKER_PW, "name", "Mallory"));
		var unknown = api.anonymous("POST", "/api/v1/signup", Map.of("email", fresh, "password", ATTACKER_PW, "name", "New"));
		assertThat(known.status()).isEqualTo(202).isEqualTo(unknown.status());
		assertThat(known.raw().body()).isEqualTo(unknown.raw().body()).isEqualTo("{\"status\":\"verification_sent\"}");

		var told = TestMailServer.shared().await(existing, 2, Duration.ofSeconds(20));
		assertThat(told).hasSize(2);
		assertThat(TestMailServer.text(told.getLast())).contains("already has an account").doesNotContain("/verify-email/");
		assertThat(newKey(existing, TestApi.PASSWORD, null).status()).isEqualTo(201);
		assertThat(newKey(existing, ATTACKER_PW, null).status()).isEqualTo(401);
	}

	@Test
	void anUnverifiedAccountCannotSignInAndOnlyItsOwnPasswordIsToldSo() {
		String person = email("pending");
		api.signUpLink(person, TestApi.PASSWORD, "Pending");
		var right = newKey(person, TestApi.PASSWORD, null);
		assertThat(right.status()).isEqualTo(401);
		assertThat(right.code()).isEqualTo("email_not_verified");
		var wrong = newKey(person, TestApi.PASSWORD + "x", null);
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.code()).isEqualTo("unauthorized");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", person, TestApi.PASSWORD, null).code())
			.isEqualTo("email_not_verified");
	}

	@Test
	void openingTheLinkChangesNothingAndItWorksOnce() throws Exception {
		String person = email("once");
		String token = api.signUpLink(person, TestApi.PASSWORD, "Once");
		HttpResponse<String> page = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(api.base() + "/verify-email/" + token)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("confirm-email");
		assertThat(newKey(person, TestApi.PASSWORD, null).code()).as("a GET verifies nothing").isEqualTo("email_not_verified");

		var verified = api.anonymous("POST", "/api/v1/email-verifications/" + token, null);
		assertThat(verified.status()).isEqualTo(200);
		assertThat(verified.text("email")).isEqualTo(person);
		assertThat(verified.text("personal_organization_id")).isNotBlank();
		assertThat(newKey(person, TestApi.PASSWORD, null).status()).isEqualTo(201);

		var twice = api.anonymous("POST", "/api/v1/email-verifications/" + token, null);
		assertThat(twice.status()).isEqualTo(410);
		assertThat(twice.code()).isEqualTo("verification_used");
		assertThat(api.anonymous("POST", "/api/v1/email-verifications/garbage", null).status()).isEqualTo(404);
		assertThat(api.anonymous("POST", "/api/v1/email-verifications/" + "A".repeat(64), null).status()).isEqualTo(404);
	}

	@Test
	void aLinkExpiresAfter24Hours() {
		String person = email("late");
		String token = api.signUpLink(person, TestApi.PASSWORD, "Late");
		jdbc.sql("update mailroom.email_verifications set sent_at = now() - interval '25 hours' where email = :e")
			.param("e", person)
			.update();
		var late = api.anonymous("POST", "/api/v1/email-verifications/" + token, null);
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("verification_expired");
		assertThat(newKey(person, TestApi.PASSWORD, null).code()).isEqualTo("email_not_verified");
	}

	@Test
	void aRepeatedSignUpReplacesThePendingPasswordAndKillsTheOlderLink() {
		String person = email("twice");
		String first = api.signUpLink(person, ATTACKER_PW, "First");
		String second = api.signUpLink(person, TestApi.PASSWORD, "Second");
		var old = api.anonymous("POST", "/api/v1/email-verifications/" + first, null);
		assertThat(old.status()).isEqualTo(410);
		assertThat(old.code()).isEqualTo("verification_expired");
		assertThat(api.anonymous("POST", "/api/v1/email-verifications/" + second, null).status()).isEqualTo(200);
		assertThat(newKey(person, ATTACKER_PW, null).status()).isEqualTo(401);
		assertThat(newKey(person, TestApi.PASSWORD, null).status()).isEqualTo(201);
	}

	@Test
	void acceptingAnInvitationSentToTheEmailVerifiesItAndReplacesAPendingSignUp() {
		var tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "verify");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0).get("id")
			.asString();
		String mailboxId = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "info", "password", TestApi.PASSWORD)).json().get("mailbox")
			.get("id").asString();
		String guest = email("guest");
		String pending = api.signUpLink(guest, ATTACKER_PW, "Mallory");

		var share = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites",
				Map.of("recipient_email", guest, "permission", "read_only", "mailbox_password", TestApi.PASSWORD));
		assertThat(share.status()).as(share.raw().body()).isEqualTo(201);
		String link = share.text("link");
		String token = link.substring(link.lastIndexOf('/') + 1);
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(guest, token, TestApi.PASSWORD, "Guest"));
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);

		var mine = api.basic("GET", "/api/v1/me/mailboxes", guest, TestApi.PASSWORD, null);
		assertThat(mine.status()).isEqualTo(200);
		assertThat(mine.json().get("items").get(0).get("address").asString()).isEqualTo("info@" + domain);
		assertThat(newKey(guest, ATTACKER_PW, null).status()).isEqualTo(401);
		assertThat(api.anonymous("POST", "/api/v1/email-verifications/" + pending, null).status()).isIn(404, 410);
	}

	@Test
	void aMailboxForTheAddressWinsOverAPendingSignUp() {
		var tenant = api.newTenant("starter");
		String domain = api.activeDomain(tenant, "win");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0).get("id")
			.asString();
		String address = "boss@" + domain;
		String pending = api.signUpLink(address, ATTACKER_PW, "Mallory");
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "boss", "password", TestApi.PASSWORD));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", address, TestApi.PASSWORD, null).status()).isEqualTo(200);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", address, ATTACKER_PW, null).code()).isEqualTo("unauthorized");
		assertThat(api.anonymous("POST", "/api/v1/email-verifications/" + pending, null).status()).isIn(404, 410);
	}
}
