package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A person's mail stays theirs (issue 15 item 5, seeds 003 and 004): sharing a regular mailbox
 * needs the address's own password unless its login shares it; in a team, owners and admins
 * cannot reset, share or convert another member's mailbox. Also: a sharing link's resend, and
 * another organization's mailbox in the path is 404 whatever the body says.
 */
@MailroomTest
class PrivacyTests {

	static final String PW = "Sturdy-Private-Pass-8";
	static final String TEAM_PW = "Sturdy-Team-Pass-8";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = api.activeDomain(tenant, "priv");
		domainId = domainIdOf(tenant, domain);
	}

	String domainIdOf(TestApi.Tenant owner, String name) {
		for (var d : api.bearer(owner.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (d.get("name").asString().equals(name)) {
				return d.get("id").asString();
			}
		}
		throw new IllegalStateException(name);
	}

	String mailbox(String key, String onDomain, String localPart) {
		var created = api.bearer(key, "POST", "/api/v1/mailboxes",
				Map.of("domain_id", onDomain, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	TestApi.Response share(String key, String mailboxId, Map<String, Object> body) {
		return api.bearer(key, "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites", body);
	}

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
	}

	@Test
	void sharingARegularMailboxNeedsTheAddressesOwnPassword() {
		String id = mailbox(tenant.apiKey(), domainId, "alice");
		for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("permission", "read_only"),
				Map.of("permission", "read_only", "mailbox_password", "not-the-password"),
				// the admin's own password is not the address's
				Map.of("permission", "read_only", "mailbox_password", TestApi.PASSWORD),
				Map.of("recipient_email", email("friend"), "permission", "reply"))) {
			var refused = share(tenant.apiKey(), id, body);
			assertThat(refused.status()).as(body.toString()).isEqualTo(403);
			assertThat(refused.code()).isEqualTo("mailbox_password_required");
		}
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/access-invites", null).json()
			.get("items").size()).as("nothing was created").isZero();

		var link = share(tenant.apiKey(), id, Map.of("permission", "read_only", "mailbox_password", PW));
		assertThat(link.status()).as(link.raw().body()).isEqualTo(201);
		var invite = share(tenant.apiKey(), id,
				Map.of("recipient_email", email("friend"), "permission", "reply", "mailbox_password", PW));
		assertThat(invite.status()).isEqualTo(201);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?limit=200", null).raw().body())
			.as("the password is never recorded").doesNotContain(PW);
	}

	@Test
	void thePeopleAndSharingPageAsksForTheAddressesPassword() {
		String id = mailbox(tenant.apiKey(), domainId, "jane");
		String page = "/mailboxes/" + id + "/people";
		WebSession admin = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		assertThat(admin.get(page).body()).contains("id=\"share-mailbox-password\"").contains("name=\"mailbox_password\"");
		// the admin's own password (the old step-up) is not the address's
		var refused = admin.post(page + "/invites", Map.of("target", "link", "permission", "read_only", "mailbox_password",
				TestApi.PASSWORD), page);
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(admin.get(page).body()).contains("mailbox_password-error").doesNotContain("id=\"sent-link\"");
		var shared = admin.post(page + "/invites", Map.of("target", "link", "permission", "read_only", "mailbox_password",
				PW), page);
		assertThat(shared.statusCode()).isEqualTo(200);
		assertThat(shared.body()).contains("id=\"sent-link\"").contains("/invite/");
	}

	@Test
	void aSharedMailboxNeedsNoPassword() {
		String member = mailbox(tenant.apiKey(), domainId, "bob");
		var shared = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "support", "members", List.of(Map.of("mailbox_id", member))));
		assertThat(shared.status()).isEqualTo(201);
		assertThat(share(tenant.apiKey(), shared.text("id"), Map.of("permission", "read_only")).status()).isEqualTo(201);
	}

	@Test
	void wrongMailboxPasswordsAreThrottledSoTheyAreNoOracle() {
		String id = mailbox(tenant.apiKey(), domainId, "carol");
		int refused = 0;
		for (int i = 0; i < 10; i++) {
			var wrong = share(tenant.apiKey(), id, Map.of("permission", "read_only", "mailbox_password", "guess-" + i));
			assertThat(wrong.status()).isEqualTo(403);
			refused++;
		}
		assertThat(refused).isEqualTo(10);
		// over the limit even the right password gets the same 429: guessing further tells nothing
		var throttled = share(tenant.apiKey(), id, Map.of("permission", "read_only", "mailbox_password", PW));
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.code()).isEqualTo("too_many_attempts");
		// another address is not held up
		String other = mailbox(tenant.apiKey(), domainId, "dave");
		assertThat(share(tenant.apiKey(), other, Map.of("permission", "read_only", "mailbox_password", PW)).status())
			.isEqualTo(201);
	}

	@Test
	void theMailboxesOwnLoginSharesItFromItsAccountPageWithoutFurtherProof() {
		String id = mailbox(tenant.apiKey(), domainId, "erin");
		String address = "erin@" + domain;
		WebSession own = WebSession.signIn(api.base(), address, PW);
		assertThat(own.get("/account").body()).contains("/account/mailboxes/" + id + "/share");
		String friend = email("friend");
		var answer = own.post("/account/mailboxes/" + id + "/share",
				Map.of("target", "email", "recipient_email", friend, "permission", "reply"),
				"/account/mailboxes/" + id + "/share");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("sent-link").contains("/invite/");
		var invites = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/access-invites", null).json()
			.get("items");
		assertThat(invites.size()).isEqualTo(1);
		assertThat(invites.get(0).get("recipient_email").asString()).isEqualTo(friend);

		// another mailbox is not theirs to share
		String other = mailbox(tenant.apiKey(), domainId, "frank");
		assertThat(own.get("/account/mailboxes/" + other + "/share").statusCode()).isEqualTo(404);
	}

	@Test
	void resendingASharingLinkWithoutRecipientGivesANewLinkAndKillsTheOldOne() {
		String id = mailbox(tenant.apiKey(), domainId, "gina");
		var link = share(tenant.apiKey(), id, Map.of("permission", "read_only", "mailbox_password", PW));
		String old = link.text("link");
		var resent = api.bearer(tenant.apiKey(), "POST",
				"/api/v1/mailboxes/" + id + "/access-invites/" + link.text("id") + "/resend", null);
		assertThat(resent.status()).as(resent.raw().body()).isEqualTo(200);
		assertThat(resent.text("link")).isNotEqualTo(old).contains("/invite/");
		assertThat(resent.json().get("recipient_email").isNull()).isTrue();
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + old.substring(old.lastIndexOf('/') + 1), null).status())
			.isEqualTo(410);
		String fresh = resent.text("link");
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + fresh.substring(fresh.lastIndexOf('/') + 1), null)
			.status()).isEqualTo(200);
	}

	@Test
	void anotherOrganizationsMailboxInThePathIs404EvenWithAnInvalidBody() {
		String id = mailbox(tenant.apiKey(), domainId, "hank");
		var stranger = api.newTenant("starter");
		String m = "/api/v1/mailboxes/" + id;
		Map<String, Object> badMembers = Map.of("members", List.of(Map.of("mailbox_id", "not-a-uuid")));
		Map<String, Object> tooLong = new HashMap<>();
		tooLong.put("display_name", "x".repeat(5000));
		tooLong.put("recipient_email", "y".repeat(400));
		tooLong.put("permission", "z".repeat(50));
		tooLong.put("password", "p".repeat(500));
		record Call(String method, String path, Object body) {
		}
		for (Call call : List.of(new Call("PATCH", m, Map.of("storage_allocation_mb", "lots")),
				new Call("PATCH", m, tooLong), new Call("POST", m + "/access-invites", Map.of()),
				new Call("POST", m + "/access-invites", tooLong), new Call("POST", m + "/reset-password", tooLong),
				new Call("POST", m + "/convert-to-shared", badMembers), new Call("POST", m + "/convert-to-shared", Map.of()),
				new Call("POST", m + "/convert-to-regular", tooLong), new Call("POST", m + "/members", badMembers),
				new Call("PATCH", m + "/members/" + UUID.randomUUID(), Map.of("permission", List.of(1))),
				new Call("PATCH", m + "/grants/" + UUID.randomUUID(), Map.of("access_until", "tomorrow")))) {
			var answer = api.bearer(stranger.apiKey(), call.method(), call.path(), call.body());
			assertThat(answer.status()).as(call.method() + " " + call.path() + " " + answer.raw().body()).isEqualTo(404);
		}
		// malformed JSON too
		var broken = api.send("POST", m + "/convert-to-shared", "{not json", "Bearer " + stranger.apiKey(), Map.of());
		assertThat(broken.status()).isEqualTo(404);
		// the organization's own key still gets the validation answer
		assertThat(api.bearer(tenant.apiKey(), "POST", m + "/convert-to-shared", Map.of()).status()).isEqualTo(422);
	}

	// ---- member_mailbox ------------------------------------------------------------------------

	record Member(String email, String apiKey) {
	}

	/** Invites a new person to the team, who makes their account from the link and a key. */
	Member join(TestApi.Tenant team, String prefix) {
		String email = email(prefix);
		var sent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", email));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		String link = sent.text("link");
		String token = link.substring(link.lastIndexOf('/') + 1);
		var accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(email, token, TEAM_PW, prefix));
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
		var key = api.basic("POST", "/api/v1/api-keys", email, TEAM_PW, Map.of("organization_id", team.orgId().toString(),
				"name", "mine", "scopes", List.of("domains:read", "mailboxes:read", "mailboxes:write")));
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		return new Member(email, key.text("token"));
	}

	@Test
	void inATeamTheOwnerCannotResetShareOrConvertAMailboxAnotherMemberCreated() {
		TestApi.Tenant team = api.newTenant("team");
		String teamDomain = api.activeDomain(team, "mm");
		String teamDomainId = domainIdOf(team, teamDomain);
		Member alice = join(team, "alice");
		String hers = mailbox(alice.apiKey(), teamDomainId, "alice");
		String ownersOwn = mailbox(team.apiKey(), teamDomainId, "boss");
		String m = "/api/v1/mailboxes/" + hers;

		List<TestApi.Response> refused = List.of(
				api.bearer(team.apiKey(), "POST", m + "/reset-password", Map.of()),
				api.bearer(team.apiKey(), "POST", m + "/reset-password", Map.of("password", "An0ther-Str0ng-Pass")),
				share(team.apiKey(), hers, Map.of("permission", "read_only", "mailbox_password", PW)),
				api.bearer(team.apiKey(), "POST", m + "/convert-to-shared",
						Map.of("members", List.of(Map.of("mailbox_id", ownersOwn)))));
		for (TestApi.Response answer : refused) {
			assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
			assertThat(answer.code()).isEqualTo("member_mailbox");
		}
		// her password still works: nothing was reset
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "alice@" + teamDomain, PW, null).status()).isEqualTo(200);

		// she converts her own mailbox to shared; the owner still cannot convert it back
		var converted = api.bearer(alice.apiKey(), "POST", m + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", mailbox(alice.apiKey(), teamDomainId, "alice2")))));
		assertThat(converted.status()).as(converted.raw().body()).isEqualTo(200);
		var back = api.bearer(team.apiKey(), "POST", m + "/convert-to-regular", Map.of());
		assertThat(back.status()).isEqualTo(403);
		assertThat(back.code()).isEqualTo("member_mailbox");
		assertThat(api.bearer(alice.apiKey(), "POST", m + "/convert-to-regular", Map.of()).status()).isEqualTo(200);

		// the creator may reset and share; the owner's own mailboxes stay the owner's to manage
		assertThat(api.bearer(alice.apiKey(), "POST", m + "/reset-password", Map.of()).status()).isEqualTo(200);
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/mailboxes/" + ownersOwn + "/reset-password", Map.of())
			.status()).isEqualTo(200);
	}

	@Test
	void withoutOtherTeamMembersTheOwnerManagesEveryMailbox() {
		String id = mailbox(tenant.apiKey(), domainId, "ivan");
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/reset-password", Map.of()).status())
			.isEqualTo(200);
	}

	@Test
	void theOpenApiDocumentPublishesTheNewCodes() {
		String document = api.anonymous("GET", "/v3/api-docs", null).raw().body();
		assertThat(document).contains("mailbox_password_required").contains("member_mailbox");
	}
}
