package dev.mailroom.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@MailroomTest
class SharedMailboxTests {

	static final String PW = "Sturdy-Member-Pass-5";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;
	String otherDomainId;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "sh-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = activeDomain(domain);
		otherDomainId = activeDomain("sh2-" + UUID.randomUUID().toString().substring(0, 8) + ".example");
	}

	String activeDomain(String name) {
		String id = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", name)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + id + "/mark-verified", null);
		return id;
	}

	String mailbox(String domainId, String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	TestApi.Response createShared(String localPart, List<Map<String, Object>> members) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "display_name", "Support", "members", members));
	}

	@Test
	void aTeamInboxWithMembersOnAnyDomainAndNoPassword() {
		String alice = mailbox(domainId, "alice");
		String bob = mailbox(otherDomainId, "bob");
		var shared = createShared("support", List.of(Map.of("mailbox_id", alice), Map.of("mailbox_id", bob, "permission", "read_only")));
		assertThat(shared.status()).isEqualTo(201);
		assertThat(shared.text("kind")).isEqualTo("shared");
		assertThat(shared.json().get("member_count").asInt()).isEqualTo(2);
		assertThat(shared.json().get("flags").size()).isZero();
		String id = shared.text("id");

		var members = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/members", null).json().get("items");
		assertThat(members.size()).isEqualTo(2);
		Map<String, String> permissions = new java.util.HashMap<>();
		Map<String, String> addresses = new java.util.HashMap<>();
		members.forEach(m -> {
			permissions.put(m.get("mailbox_id").asString(), m.get("permission").asString());
			addresses.put(m.get("mailbox_id").asString(), m.get("address").asString());
		});
		// members added together have no order among them: look them up by id
		assertThat(permissions).containsEntry(alice, "reply").containsEntry(bob, "read_only");

		var mine = api.basic("GET", "/api/v1/me/mailboxes", addresses.get(bob), PW, null);
		assertThat(mine.status()).isEqualTo(200);
		assertThat(mine.json().get("items").toString()).contains("support@" + domain).contains("read_only").contains("member");

		// a shared mailbox can never sign in, nor be recovered
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "support@" + domain, PW, null).status()).isEqualTo(401);
		assertThat(api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "support@" + domain, "recovery_code",
				"AAAAA-BBBBB-CCCCC-DDDDD", "new_password", "Brand-new-pass-77")).status()).isEqualTo(400);
	}

	@Test
	void theLastMemberCannotBeRemoved() {
		String alice = mailbox(domainId, "alice");
		String id = createShared("help", List.of(Map.of("mailbox_id", alice))).text("id");
		var refused = api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id + "/members/" + alice, null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("last_member");

		String carol = mailbox(domainId, "carol");
		var added = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/members", Map.of("members", List.of(Map.of("mailbox_id", carol))));
		assertThat(added.status()).isEqualTo(201);
		var again = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/members", Map.of("members", List.of(Map.of("mailbox_id", carol))));
		assertThat(again.code()).isEqualTo("already_member");
		assertThat(api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id + "/members/" + alice, null).status()).isEqualTo(204);
		var patched = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id + "/members/" + carol, Map.of("permission", "read_only"));
		assertThat(patched.text("permission")).isEqualTo("read_only");
		assertThat(api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id + "/members/" + carol, Map.of("permission", "admin"))
			.code()).isEqualTo("invalid_permission");
	}

	@Test
	void concurrentRemovalsOfTheLastTwoMembersLeaveOne() throws Exception {
		String a = mailbox(domainId, "anna");
		String b = mailbox(domainId, "ben");
		String id = createShared("team", List.of(Map.of("mailbox_id", a), Map.of("mailbox_id", b))).text("id");
		List<String> both = List.of(a, b);
		List<Integer> statuses = Race.of(2,
				i -> api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id + "/members/" + both.get(i), null).status());
		assertThat(statuses).containsExactlyInAnyOrder(204, 409);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/members", null).json().get("items").size())
			.isEqualTo(1);
	}

	@Test
	void deletingTheOnlyMembersMailboxFlagsTheSharedMailbox() {
		String a = mailbox(domainId, "solo");
		String id = createShared("orphan", List.of(Map.of("mailbox_id", a))).text("id");
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + a, null);
		var shared = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id, null);
		assertThat(shared.json().get("flags").toString()).contains("no_members");
		assertThat(shared.json().get("member_count").asInt()).isZero();
		var listed = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?kind=shared", null).json().get("items");
		assertThat(listed.get(0).get("flags").toString()).contains("no_members");
	}

	@Test
	void membersMustBeRegularMailboxesOfTheOrganization() {
		String a = mailbox(domainId, "member1");
		String shared = createShared("first", List.of(Map.of("mailbox_id", a))).text("id");
		var sharedAsMember = createShared("second", List.of(Map.of("mailbox_id", shared)));
		assertThat(sharedAsMember.status()).isEqualTo(422);
		assertThat(sharedAsMember.code()).isEqualTo("invalid_member");
		var other = api.newTenant("starter");
		var foreign = api.bearer(other.apiKey(), "GET", "/api/v1/mailboxes/" + shared + "/members", null);
		assertThat(foreign.status()).isEqualTo(404);
		assertThat(createShared("none", List.of()).status()).isEqualTo(422);
		assertThat(createShared("unknown", List.of(Map.of("mailbox_id", UUID.randomUUID().toString()))).status()).isEqualTo(422);
		var notShared = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + a + "/members", null);
		assertThat(notShared.code()).isEqualTo("not_a_shared_mailbox");
	}

	@Test
	void theSharedCapAndTheDomainCapApply() {
		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(), Map.of("limits", Map.of("shared_per_domain", 1)));
		String a = mailbox(domainId, "capper");
		assertThat(createShared("one", List.of(Map.of("mailbox_id", a))).status()).isEqualTo(201);
		var second = createShared("two", List.of(Map.of("mailbox_id", a)));
		assertThat(second.status()).isEqualTo(409);
		assertThat(second.code()).isEqualTo("shared_limit_reached");

		api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("shared_per_domain", 5, "mailboxes_per_domain", 2)));
		var full = createShared("three", List.of(Map.of("mailbox_id", a)));
		assertThat(full.code()).as("a shared mailbox takes a mailbox slot too").isEqualTo("plan_limit_reached");
	}

	@Test
	void convertingToSharedKillsThePasswordAndConvertingBackGivesANewOne() {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "sales", "password", PW));
		String id = created.json().get("mailbox").get("id").asString();
		String code = created.text("recovery_code");
		String member = mailbox(domainId, "seller");

		var converted = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", member))));
		assertThat(converted.status()).isEqualTo(200);
		assertThat(converted.text("kind")).isEqualTo("shared");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "sales@" + domain, PW, null).status()).isEqualTo(401);
		assertThat(api.anonymous("POST", "/api/v1/recovery/reset", Map.of("address", "sales@" + domain, "recovery_code", code,
				"new_password", "Brand-new-pass-77")).status()).as("the recovery code died too").isEqualTo(400);

		var back = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + id + "/convert-to-regular", null);
		assertThat(back.status()).isEqualTo(200);
		assertThat(back.json().get("mailbox").get("kind").asString()).isEqualTo("regular");
		String password = back.text("password");
		assertThat(back.text("recovery_code")).isNotEqualTo(code);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "sales@" + domain, password, null).status()).isEqualTo(200);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/members", null).code())
			.isEqualTo("not_a_shared_mailbox");
		var seller = api.basic("GET", "/api/v1/me/mailboxes", "seller@" + domain, PW, null);
		assertThat(seller.json().get("items").size()).as("the member lost access").isEqualTo(1);
	}

	@Test
	void aMemberConvertedToSharedLeavesItsTeamsButNeverEmptiesOne() {
		String a = mailbox(domainId, "teamone");
		String b = mailbox(domainId, "teamtwo");
		String team = createShared("desk", List.of(Map.of("mailbox_id", a), Map.of("mailbox_id", b))).text("id");
		String solo = createShared("solo-desk", List.of(Map.of("mailbox_id", b))).text("id");
		String c = mailbox(domainId, "teamthree");

		var refused = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + b + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", c))));
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("last_member");

		api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + solo + "/members", Map.of("members", List.of(Map.of("mailbox_id", c))));
		var converted = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + b + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", c))));
		assertThat(converted.status()).isEqualTo(200);
		var teamMembers = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + team + "/members", null).json().get("items");
		assertThat(teamMembers.size()).isEqualTo(1);
		assertThat(teamMembers.get(0).get("mailbox_id").asString()).isEqualTo(a);
	}

	/**
	 * Issue 15 item 11: converting X to shared while X is added as a member of S. The conversion
	 * locks X before it reads X's memberships, so either the add sees X shared (refused) or the
	 * conversion sees X's new membership (and takes it out): no shared mailbox is ever a member.
	 */
	@Test
	void aRacingAddCannotMakeASharedMailboxAMemberOfAnother() throws Exception {
		String keeper = mailbox(domainId, "keeper");
		String teamId = createShared("race-team", List.of(Map.of("mailbox_id", keeper))).text("id");
		String firstMember = mailbox(domainId, "first");
		for (int round = 0; round < 12; round++) {
			String candidate = mailbox(domainId, "cand" + round);
			List<Integer> statuses = Race.of(2, i -> i == 0
					? api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + candidate + "/convert-to-shared",
							Map.of("members", List.of(Map.of("mailbox_id", firstMember)))).status()
					: api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + teamId + "/members",
							Map.of("members", List.of(Map.of("mailbox_id", candidate)))).status());
			assertThat(statuses).as("no 500, no deadlock").allMatch(s -> s == 200 || s == 201 || s == 409 || s == 422);
			String kind = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + candidate, null).text("kind");
			boolean member = false;
			for (var m : api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + teamId + "/members", null).json()
				.get("items")) {
				member |= m.get("mailbox_id").asString().equals(candidate);
			}
			assertThat(kind.equals("shared") && member).as("round " + round + ": " + statuses + " kind " + kind).isFalse();
		}
	}

	@Test
	void membershipChangesAreAudited() {
		String a = mailbox(domainId, "auditme");
		String b = mailbox(domainId, "auditme2");
		String id = createShared("audited", List.of(Map.of("mailbox_id", a), Map.of("mailbox_id", b))).text("id");
		api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + id + "/members/" + b, Map.of("permission", "read_only"));
		api.bearer(tenant.apiKey(), "DELETE", "/api/v1/mailboxes/" + id + "/members/" + b, null);
		var events = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?limit=200", null).raw().body();
		assertThat(events).contains("shared.member_added").contains("shared.member_permission_changed")
			.contains("shared.member_removed");
	}
}
