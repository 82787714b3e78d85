package dev.mailroom.team;

import static dev.mailroom.team.TeamFixture.PW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Isolation between team members (DESIGN.md §1.8, §1b): member A walks every mailbox endpoint
 * with member B's ids (403: it exists, in A's team, but is B's) and with another organization's
 * ids (404: existence is never revealed across organizations). The owner sees every member's
 * mailbox metadata, never their API keys; members cannot manage the team.
 */
@MailroomTest
class TeamIsolationTests {

	@LocalServerPort
	int port;

	TestApi api;
	TeamFixture teams;
	TestApi.Tenant team;
	String domainId;
	TeamFixture.Member a;
	TeamFixture.Member b;

	/** One set of ids a member might aim at: a regular and a shared mailbox, invites and a grant. */
	record Target(String mailbox, String other, String trashed, String shared, String accessInvite,
			String setupInvite, String grantUser) {
	}

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		teams = new TeamFixture(api);
		team = api.newTenant("team");
		String domain = api.activeDomain(team, "iso");
		domainId = teams.domainId(team, domain);
		a = teams.join(team, "alice");
		b = teams.join(team, "bob");
	}

	/** What {@code key} owns on {@code domain}: created with that key, as its holder would. */
	Target targets(String key, String domain, String prefix) {
		String mailbox = teams.mailbox(key, domain, prefix + "-main");
		String other = teams.mailbox(key, domain, prefix + "-second");
		String trashed = teams.mailbox(key, domain, prefix + "-old");
		assertThat(api.bearer(key, "DELETE", "/api/v1/mailboxes/" + trashed, null).status()).isEqualTo(204);
		var shared = api.bearer(key, "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domain, "local_part",
				prefix + "-team", "members", List.of(Map.of("mailbox_id", mailbox))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		var access = api.bearer(key, "POST", "/api/v1/mailboxes/" + mailbox + "/access-invites",
				Map.of("recipient_email", TeamFixture.email("pending-guest"), "permission", "read_only", "mailbox_password", PW));
		assertThat(access.status()).as(access.raw().body()).isEqualTo(201);
		var setup = api.bearer(key, "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domain, "recipient_email", TeamFixture.email("newhire")));
		assertThat(setup.status()).as(setup.raw().body()).isEqualTo(201);
		// a guest who really holds a grant on the mailbox
		var link = api.bearer(key, "POST", "/api/v1/mailboxes/" + mailbox + "/access-invites",
				Map.of("permission", "reply", "mailbox_password", PW)).text("link");
		String guest = TeamFixture.email("guest");
		// a sharing link cannot make (verify) an account: the guest signs up first
		api.signUpVerified(guest, PW, "Guest");
		assertThat(api.basic("POST", "/api/v1/invitations/" + TeamFixture.token(link) + "/accept", guest, PW, Map.of())
			.status()).isEqualTo(200);
		String grantUser = api.bearer(key, "GET", "/api/v1/mailboxes/" + mailbox + "/grants", null).json().get("items")
			.get(0).get("user_id").asString();
		return new Target(mailbox, other, trashed, shared.text("id"), access.text("id"), setup.text("id"), grantUser);
	}

	/** Every mailbox endpoint, aimed at {@code t} with {@code key}: the status of each call. */
	Map<String, Integer> walk(String key, Target t, String ownMailbox, String ownShared) {
		Map<String, Integer> statuses = new LinkedHashMap<>();
		String m = "/api/v1/mailboxes/" + t.mailbox();
		String s = "/api/v1/mailboxes/" + t.shared();
		String i = "/api/v1/mailboxes/invites/" + t.setupInvite();
		call(statuses, key, "GET", m, null);
		call(statuses, key, "PATCH", m, Map.of("display_name", "Mine now"));
		call(statuses, key, "PATCH", m, Map.of("storage_allocation_mb", 10));
		call(statuses, key, "PATCH", m, Map.of("status", "archived"));
		call(statuses, key, "DELETE", m, null);
		call(statuses, key, "POST", "/api/v1/mailboxes/" + t.trashed() + "/restore", null);
		call(statuses, key, "GET", "/api/v1/mailboxes/" + t.trashed(), null);
		call(statuses, key, "POST", m + "/reset-password", Map.of());
		call(statuses, key, "POST", m + "/reset-password", Map.of("password", "An0ther-Str0ng-Pass"));
		call(statuses, key, "POST", m + "/convert-to-shared", Map.of("members", List.of(Map.of("mailbox_id", ownMailbox))));
		call(statuses, key, "POST", s + "/convert-to-regular", Map.of());
		call(statuses, key, "GET", s, null);
		call(statuses, key, "GET", s + "/members", null);
		call(statuses, key, "POST", s + "/members", Map.of("members", List.of(Map.of("mailbox_id", ownMailbox))));
		call(statuses, key, "PATCH", s + "/members/" + t.mailbox(), Map.of("permission", "read_only"));
		call(statuses, key, "DELETE", s + "/members/" + t.mailbox(), null);
		// their mailbox named in a body: as a member of one's own shared mailbox, or of a new one
		call(statuses, key, "[body] POST", "/api/v1/mailboxes/" + ownShared + "/members",
				Map.of("members", List.of(Map.of("mailbox_id", t.other()))));
		call(statuses, key, "[body] POST", "/api/v1/mailboxes/" + ownMailbox + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", t.other()))));
		call(statuses, key, "POST", m + "/access-invites", Map.of("permission", "read_only"));
		call(statuses, key, "GET", m + "/access-invites", null);
		call(statuses, key, "POST", m + "/access-invites/" + t.accessInvite() + "/cancel", null);
		call(statuses, key, "POST", m + "/access-invites/" + t.accessInvite() + "/resend", null);
		call(statuses, key, "GET", m + "/grants", null);
		call(statuses, key, "PATCH", m + "/grants/" + t.grantUser(), Map.of("permission", "read_only"));
		call(statuses, key, "DELETE", m + "/grants/" + t.grantUser(), null);
		call(statuses, key, "GET", i, null);
		call(statuses, key, "GET", i + "/link", null);
		call(statuses, key, "PATCH", i, Map.of("recipient_email", TeamFixture.email("redirected")));
		call(statuses, key, "POST", i + "/resend", null);
		call(statuses, key, "POST", i + "/cancel", null);
		return statuses;
	}

	void call(Map<String, Integer> statuses, String key, String method, String path, Object body) {
		String name = method + " " + path + (body == null ? "" : " " + body);
		statuses.put(name, api.bearer(key, method.replace("[body] ", ""), path, body).status());
	}

	@Test
	void memberAGets403ForEveryEndpointWithMemberBsIdsAnd404WithAnotherOrganizations() {
		Target ofB = targets(b.apiKey(), domainId, "bob");
		Target ofA = targets(a.apiKey(), domainId, "alice");

		Map<String, Integer> inTeam = walk(a.apiKey(), ofB, ofA.mailbox(), ofA.shared());
		assertThat(inTeam).hasSizeGreaterThanOrEqualTo(30);
		inTeam.forEach((call, status) -> assertThat(status).as(call).isEqualTo(403));

		TestApi.Tenant stranger = api.newTenant("team");
		String strangerDomain = teams.domainId(stranger, api.activeDomain(stranger, "far"));
		Target ofStranger = targets(stranger.apiKey(), strangerDomain, "far");
		Map<String, Integer> across = walk(a.apiKey(), ofStranger, ofA.mailbox(), ofA.shared());
		// an id in a body is refused like an unknown one (422 not_found): existence is not revealed either
		across.forEach((call, status) -> assertThat(status).as(call).isEqualTo(call.startsWith("[body]") ? 422 : 404));
		var unknown = api.bearer(a.apiKey(), "POST", "/api/v1/mailboxes/" + ofA.shared() + "/members",
				Map.of("members", List.of(Map.of("mailbox_id", java.util.UUID.randomUUID().toString()))));
		var foreign = api.bearer(a.apiKey(), "POST", "/api/v1/mailboxes/" + ofA.shared() + "/members",
				Map.of("members", List.of(Map.of("mailbox_id", ofStranger.other()))));
		assertThat(foreign.status()).isEqualTo(unknown.status());
		assertThat(foreign.code()).isEqualTo(unknown.code()).isEqualTo("not_found");

		// nothing of B's changed; A's own ids work
		var bMailbox = api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/" + ofB.mailbox(), null);
		assertThat(bMailbox.status()).isEqualTo(200);
		assertThat(bMailbox.text("status")).isEqualTo("active");
		assertThat(bMailbox.json().get("display_name")).as("not renamed").isNull();
		assertThat(api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/" + ofB.shared() + "/members", null).json()
			.get("items").size()).isEqualTo(1);
		assertThat(api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/" + ofB.mailbox() + "/grants", null).json()
			.get("items").size()).isEqualTo(1);
		assertThat(api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/invites/" + ofB.setupInvite(), null).text("status"))
			.isEqualTo("pending");
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/mailboxes/" + ofA.mailbox(), null).status()).isEqualTo(200);
		assertThat(api.bearer(a.apiKey(), "PATCH", "/api/v1/mailboxes/" + ofA.mailbox(),
				Map.of("display_name", "Alice")).status()).isEqualTo(200);
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/mailboxes/" + ofA.shared() + "/members", null).status())
			.isEqualTo(200);
	}

	@Test
	void membersSeeOnlyTheirOwnMailboxesAndTheOwnerSeesEveryonesMetadata() {
		String aMailbox = teams.mailbox(a.apiKey(), domainId, "alice");
		String bMailbox = teams.mailbox(b.apiKey(), domainId, "bob");
		String ownerMailbox = teams.mailbox(team.apiKey(), domainId, "boss");

		assertThat(ids(a.apiKey(), "/api/v1/mailboxes")).containsExactly(aMailbox);
		assertThat(ids(b.apiKey(), "/api/v1/mailboxes")).containsExactly(bMailbox);
		assertThat(ids(a.apiKey(), "/api/v1/mailboxes?status=trashed")).isEmpty();
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/mailboxes/" + ownerMailbox, null).status()).isEqualTo(403);

		assertThat(ids(team.apiKey(), "/api/v1/mailboxes")).containsExactlyInAnyOrder(aMailbox, bMailbox, ownerMailbox);
		var seen = api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + bMailbox, null);
		assertThat(seen.status()).isEqualTo(200);
		assertThat(seen.text("owner_user_id")).as("the creator").isEqualTo(b.userId().toString());
		assertThat(seen.text("created_at")).isNotBlank();
	}

	@Test
	void theOwnerNeverSeesMembersApiKeysAndMembersSeeOnlyTheirOwn() {
		String ownerKeys = api.bearer(team.apiKey(), "GET", "/api/v1/api-keys", null).raw().body();
		String aKeys = api.bearer(a.apiKey(), "GET", "/api/v1/api-keys", null).raw().body();
		assertThat(ownerKeys).doesNotContain(a.userId().toString()).doesNotContain(b.userId().toString())
			.contains(team.ownerId().toString());
		assertThat(aKeys).contains(a.userId().toString()).doesNotContain(b.userId().toString())
			.doesNotContain(team.ownerId().toString());
		String bKeyId = api.bearer(b.apiKey(), "GET", "/api/v1/api-keys", null).json().get("items").get(0).get("id")
			.asString();
		assertThat(api.bearer(team.apiKey(), "DELETE", "/api/v1/api-keys/" + bKeyId, null).status()).isEqualTo(404);
		assertThat(api.bearer(a.apiKey(), "DELETE", "/api/v1/api-keys/" + bKeyId, null).status()).isEqualTo(404);
	}

	@Test
	void membersCannotManageTheTeamButReadItsUsage() {
		String someone = TeamFixture.email("someone");
		var sent = teams.invite(team, someone);
		for (String[] call : new String[][] { { "GET", "/api/v1/team/members" }, { "GET", "/api/v1/team/invitations" },
				{ "POST", "/api/v1/team/invitations/" + sent.text("id") + "/resend" },
				{ "POST", "/api/v1/team/invitations/" + sent.text("id") + "/cancel" },
				{ "DELETE", "/api/v1/team/members/" + b.userId() + "?confirm=true" } }) {
			var refused = api.bearer(a.apiKey(), call[0], call[1], null);
			assertThat(refused.status()).as(call[1]).isEqualTo(403);
			assertThat(refused.code()).as(call[1]).isEqualTo("forbidden");
		}
		var invite = api.bearer(a.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", TeamFixture.email("x")));
		assertThat(invite.status()).isEqualTo(403);
		assertThat(api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", "mine-" + System.nanoTime() + ".example"))
			.status()).as("domains are the owner's").isEqualTo(403);
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/team", null).status()).isEqualTo(200);
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/audit-events", null).status()).isEqualTo(403);

		teams.mailbox(a.apiKey(), domainId, "alice");
		teams.mailbox(b.apiKey(), domainId, "bob");
		var usage = api.bearer(a.apiKey(), "GET", "/api/v1/team/usage", null);
		assertThat(usage.status()).isEqualTo(200);
		assertThat(usage.json().get("used").get("active_mailboxes").asInt()).as("team totals").isEqualTo(2);
		assertThat(usage.json().get("members").size()).as("only oneself").isEqualTo(1);
		assertThat(usage.json().get("members").get(0).get("user_id").asString()).isEqualTo(a.userId().toString());

		// another organization's owner sees nothing of this team
		TestApi.Tenant stranger = api.newTenant("team");
		assertThat(api.bearer(stranger.apiKey(), "DELETE", "/api/v1/team/members/" + a.userId() + "?confirm=true", null)
			.status()).isEqualTo(404);
		assertThat(api.bearer(stranger.apiKey(), "POST", "/api/v1/team/invitations/" + sent.text("id") + "/cancel", null)
			.status()).isEqualTo(404);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations", null).raw().body())
			.contains(sent.text("id"));
	}

	@Test
	void aKeyWithoutTheTeamScopesIsRefused() {
		var key = api.basic("POST", "/api/v1/api-keys", team.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", team.orgId().toString(), "name", "mailboxes only", "scopes",
						List.of("mailboxes:read")));
		String token = key.text("token");
		assertThat(api.bearer(token, "GET", "/api/v1/team/members", null).code()).isEqualTo("insufficient_scope");
		assertThat(api.bearer(token, "POST", "/api/v1/team/invitations", Map.of("email", TeamFixture.email("y"))).code())
			.isEqualTo("insufficient_scope");
		assertThat(api.bearer(token, "DELETE", "/api/v1/team/members/" + a.userId() + "?confirm=true", null).code())
			.isEqualTo("insufficient_scope");
	}

	List<String> ids(String key, String path) {
		List<String> ids = new ArrayList<>();
		api.bearer(key, "GET", path, null).json().get("items").forEach(m -> ids.add(m.get("id").asString()));
		return ids;
	}
}
