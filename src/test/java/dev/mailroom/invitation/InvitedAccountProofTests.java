package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 27, item 1: the inviter holds the link it gets back, so redeeming that link proves nothing
 * about the recipient's inbox. Only the link as emailed (with its proof) makes a verified account;
 * without it the account is a sign-up waiting for its own emailed link. And an account's email
 * never keeps a domain's organization from creating that address as a mailbox.
 */
@MailroomTest
class InvitedAccountProofTests {

	static final String INVITER_PW = "Inviter-Chosen-Pass-4";
	static final String REAL_PW = "Real-Person-Pass-77";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant inviter;
	String sharedId;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		inviter = api.newTenant("starter");
		String domain = api.activeDomain(inviter, "alpha");
		String domainId = domainId(inviter, domain);
		var shared = api.bearer(inviter.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", "support", "members", List.of(Map.of("mailbox_id",
						api.bearer(inviter.apiKey(), "POST", "/api/v1/mailboxes",
								Map.of("domain_id", domainId, "local_part", "agent", "password", REAL_PW))
							.json().get("mailbox").get("id").asString()))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		sharedId = shared.text("id");
	}

	String domainId(TestApi.Tenant tenant, String name) {
		for (var domain : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (domain.get("name").asString().equals(name)) {
				return domain.get("id").asString();
			}
		}
		throw new IllegalStateException("No domain " + name);
	}

	static String token(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	static String stranger(String domain) {
		return "stranger-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
	}

	String shareWith(String recipient) {
		var sent = api.bearer(inviter.apiKey(), "POST", "/api/v1/mailboxes/" + sharedId + "/access-invites",
				Map.of("recipient_email", recipient, "permission", "reply"));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		return token(sent.text("link"));
	}

	TestApi.Response createAccount(String token, String email, String password, String proof) {
		Map<String, Object> account = proof == null ? Map.of("email", email, "password", password, "name", "Someone")
				: Map.of("email", email, "password", password, "name", "Someone", "proof", proof);
		return api.anonymous("POST", "/api/v1/invitations/" + token + "/accept", Map.of("create_account", account));
	}

	int keyWith(String email, String password) {
		return api.basic("POST", "/api/v1/api-keys", email, password, Map.of("name", "k", "scopes", List.of("mailboxes:read")))
			.status();
	}

	@Test
	void theInvitersCopyOfAnAccessLinkMakesNoAccountForTheRecipient() {
		String victim = stranger("victim.test");
		String token = shareWith(victim);

		var squat = createAccount(token, victim, INVITER_PW, null);
		assertThat(squat.status()).as(squat.raw().body()).isEqualTo(202);
		assertThat(squat.text("status")).isEqualTo("verification_sent");
		assertThat(keyWith(victim, INVITER_PW)).as("no account signs in with the inviter's password").isEqualTo(401);
		assertThat(api.bearer(inviter.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId + "/grants", null).json()
			.get("items").size()).as("nothing granted").isZero();
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token, null).text("status")).isEqualTo("pending");
		// the address got the invitation and then a verification link, as at sign-up
		var emails = TestMailServer.shared().await(victim, 2, Duration.ofSeconds(20));
		assertThat(emails).hasSize(2);
		assertThat(emails).anySatisfy(email -> assertThat(TestMailServer.text(email)).contains("/verify-email/"));

		// the real person signs up as if nothing happened, and their own password is the one that works
		api.signUpVerified(victim, REAL_PW, "Real Person");
		assertThat(keyWith(victim, INVITER_PW)).isEqualTo(401);
		assertThat(keyWith(victim, REAL_PW)).isEqualTo(201);
		// signed in, they accept the same invitation
		var accepted = api.basic("POST", "/api/v1/invitations/" + token + "/accept", victim, REAL_PW, Map.of());
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
	}

	@Test
	void theInvitersCopyOfATeamLinkMakesNoAccountForTheRecipient() {
		TestApi.Tenant team = api.newTenant("team");
		String victim = stranger("victim.test");
		var sent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", victim));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		String token = token(sent.text("link"));

		var squat = createAccount(token, victim, INVITER_PW, null);
		assertThat(squat.status()).as(squat.raw().body()).isEqualTo(202);
		assertThat(keyWith(victim, INVITER_PW)).isEqualTo(401);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items").size())
			.as("only the owner").isEqualTo(1);

		// a proof made for another invite is no proof for this one
		String other = stranger("elsewhere.test");
		var otherSent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", other));
		String otherProof = api.emailedInviteProof(other, token(otherSent.text("link")));
		assertThat(createAccount(token, victim, INVITER_PW, otherProof).status()).isEqualTo(202);
		assertThat(keyWith(victim, INVITER_PW)).isEqualTo(401);
	}

	@Test
	void theLinkAsEmailedMakesTheVerifiedAccountAtOnce() {
		String guest = stranger("guest.test");
		String token = shareWith(guest);
		var created = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(guest, token, REAL_PW, "Guest"));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
		assertThat(created.text("mailbox_id")).isEqualTo(sharedId);
		assertThat(keyWith(guest, REAL_PW)).isEqualTo(201);
	}

	@Test
	void theInvitationPageFromACopiedLinkAsksToConfirmTheEmailFirst() {
		String victim = stranger("victim.test");
		String token = shareWith(victim);
		WebSession browser = new WebSession(api.base());
		String page = "/invite/" + token;
		HttpResponse<String> answer = browser.post(page + "/share",
				Map.of("name", "Mallory", "email", victim, "password", INVITER_PW), page);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("id=\"invite-verify-first\"").contains(victim);
		assertThat(keyWith(victim, INVITER_PW)).isEqualTo(401);

		// the emailed link's page carries the proof in its form, and that form makes the account
		String proof = api.emailedInviteProof(victim, token);
		String emailedPage = page + "?proof=" + proof;
		assertThat(browser.get(emailedPage).body()).contains("name=\"proof\"").contains(proof);
		WebSession recipient = new WebSession(api.base());
		HttpResponse<String> joined = recipient.post(page + "/share",
				Map.of("name", "Real", "email", victim, "password", REAL_PW, "proof", proof), emailedPage);
		assertThat(joined.statusCode()).isEqualTo(200);
		assertThat(joined.body()).doesNotContain("invite-verify-first");
		assertThat(keyWith(victim, REAL_PW)).isEqualTo(201);
	}

	@Test
	void anAccountOnAnotherTenantsDomainNeverBlocksItsMailbox() {
		TestApi.Tenant bravo = api.newTenant("starter");
		String domain = api.activeDomain(bravo, "bravo");
		String boss = "boss@" + domain;
		// an account with the address (signed up before bravo created the mailbox), with an API key
		api.signUpVerified(boss, INVITER_PW, "Squatter");
		var key = api.basic("POST", "/api/v1/api-keys", boss, INVITER_PW,
				Map.of("name", "k", "scopes", List.of("mailboxes:read")));
		assertThat(key.status()).isEqualTo(201);

		var created = api.bearer(bravo.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId(bravo, domain), "local_part", "boss", "password", REAL_PW));
		assertThat(created.status()).as("the domain's owner wins: " + created.raw().body()).isEqualTo(201);
		assertThat(keyWith(boss, INVITER_PW)).as("the old account no longer signs in as the address").isEqualTo(401);
		assertThat(api.bearer(key.text("token"), "GET", "/api/v1/me/mailboxes", null).status())
			.as("nor do its API keys work").isEqualTo(401);
		var mine = api.basic("GET", "/api/v1/me/mailboxes", boss, REAL_PW, null);
		assertThat(mine.status()).as("the mailbox's own login does").isEqualTo(200);
	}

	@Test
	void aSharedMailboxTakesItsAddressFromAnAccountToo() {
		TestApi.Tenant bravo = api.newTenant("starter");
		String domain = api.activeDomain(bravo, "bravo");
		String team = "team@" + domain;
		api.signUpVerified(team, INVITER_PW, "Squatter");
		assertThat(keyWith(team, INVITER_PW)).isEqualTo(201);
		String domainId = domainId(bravo, domain);
		String member = api.bearer(bravo.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "member", "password", REAL_PW)).json().get("mailbox").get("id")
			.asString();
		var shared = api.bearer(bravo.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "team", "members", List.of(Map.of("mailbox_id", member))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		assertThat(keyWith(team, INVITER_PW)).as("no account signs in as the shared address").isEqualTo(401);
	}

	@Test
	void anAccountOnTheDomainNeverBlocksASetupInviteEither() {
		TestApi.Tenant bravo = api.newTenant("starter");
		String domain = api.activeDomain(bravo, "bravo");
		String ceo = "ceo@" + domain;
		api.signUpVerified(ceo, INVITER_PW, "Squatter");
		String recipient = stranger("people.test");
		var invite = api.bearer(bravo.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId(bravo, domain), "recipient_email", recipient, "local_part", "ceo"));
		assertThat(invite.status()).as(invite.raw().body()).isEqualTo(201);
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token(invite.text("link")) + "/accept",
				Map.of("password", REAL_PW));
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(201);
		assertThat(keyWith(ceo, INVITER_PW)).isEqualTo(401);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", ceo, REAL_PW, null).status()).isEqualTo(200);
	}
}
