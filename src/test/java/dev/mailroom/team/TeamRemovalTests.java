package dev.mailroom.team;

import static dev.mailroom.team.TeamFixture.PW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import dev.mailroom.mailbox.MailboxAccessEnded;
import dev.mailroom.mailbox.MailboxService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removing a team member (API.md "Team", "Operator"): only with confirmation naming what goes;
 * their mailboxes — and only theirs — leave the organization at once, their access ends, they
 * keep their account on the free plan; the operator may restore the mailboxes for 24 hours, then
 * the purge takes them.
 */
@MailroomTest
class TeamRemovalTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ConfigurableApplicationContext context;

	final MailboxService mailboxService;

	TestApi api;
	TeamFixture teams;
	TestApi.Tenant team;
	String domain;
	String domainId;
	TeamFixture.Member a;
	TeamFixture.Member b;

	TeamRemovalTests(@Autowired MailboxService mailboxService) {
		this.mailboxService = mailboxService;
	}

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		teams = new TeamFixture(api);
		team = api.newTenant("team");
		domain = api.activeDomain(team, "rm");
		domainId = teams.domainId(team, domain);
		a = teams.join(team, "alice");
		b = teams.join(team, "bob");
	}

	TestApi.Response remove(UUID userId, String query) {
		return api.bearer(team.apiKey(), "DELETE", "/api/v1/team/members/" + userId + query, null);
	}

	int ownerSees(String mailboxId) {
		return api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId, null).status();
	}

	List<String> ownerList(String query) {
		List<String> ids = new ArrayList<>();
		api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes" + query, null).json().get("items")
			.forEach(m -> ids.add(m.get("id").asString()));
		return ids;
	}

	TestApi.Response restore(UUID orgId, Object userId) {
		return api.operator("POST", "/api/v1/operator/organizations/" + orgId + "/restore-member-mailboxes",
				userId == null ? Map.of() : Map.of("user_id", userId.toString()));
	}

	@Test
	void removalNeedsAConfirmationThatNamesWhatIsDeleted() {
		teams.mailbox(a.apiKey(), domainId, "alice");
		teams.mailbox(a.apiKey(), domainId, "alice.two");
		for (String query : List.of("", "?confirm=false", "?confirm=yes", "?confirm=1")) {
			var refused = remove(a.userId(), query);
			assertThat(refused.status()).isEqualTo(422);
			assertThat(refused.code()).isEqualTo("confirmation_required");
			assertThat(refused.json().get("detail").asString()).contains(a.email())
				.contains("alice@" + domain)
				.contains("alice.two@" + domain);
		}
		assertThat(teams.userIdOf(team, a.email())).as("still a member").isEqualTo(a.userId());
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/team", null).status()).isEqualTo(200);
	}

	@Test
	void removalDeletesTheMembersMailboxesAndNothingElseAndEndsTheirAccessAtOnce() {
		String active = teams.mailbox(a.apiKey(), domainId, "alice");
		String archived = teams.mailbox(a.apiKey(), domainId, "alice.old");
		assertThat(api.bearer(a.apiKey(), "PATCH", "/api/v1/mailboxes/" + archived, Map.of("status", "archived"))
			.status()).isEqualTo(200);
		String binned = teams.mailbox(a.apiKey(), domainId, "alice.bin");
		api.bearer(a.apiKey(), "DELETE", "/api/v1/mailboxes/" + binned, null);
		var shared = api.bearer(a.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", "alice-team", "members", List.of(Map.of("mailbox_id", active))));
		String sharedId = shared.text("id");
		String pendingInvite = api.bearer(a.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", TeamFixture.email("hire"))).text("id");
		String bobs = teams.mailbox(b.apiKey(), domainId, "bob");
		String owners = teams.mailbox(team.apiKey(), domainId, "boss");
		var bobsShared = api.bearer(b.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", "bob-team", "members", List.of(Map.of("mailbox_id", bobs))));
		WebSession browser = WebSession.signIn(api.base(), a.email(), PW);
		assertThat(browser.get("/mailboxes").statusCode()).isEqualTo(200);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "alice@" + domain, PW, null).status())
			.as("the mailbox's own login").isEqualTo(200);
		long activeBefore = api.bearer(team.apiKey(), "GET", "/api/v1/team/usage", null).json().get("used")
			.get("active_mailboxes").asLong();

		var removed = remove(a.userId(), "?confirm=true");
		assertThat(removed.status()).as(removed.raw().body()).isEqualTo(204);

		// for the organization, the member's mailboxes are gone — not even in the recycle bin
		for (String id : List.of(active, archived, sharedId)) {
			assertThat(ownerSees(id)).as(id).isEqualTo(404);
		}
		assertThat(ownerList("")).containsExactlyInAnyOrder(bobs, owners, bobsShared.text("id"));
		assertThat(ownerList("?status=trashed")).as("what was in the bin before stays there").containsExactly(binned);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/usage", null).json().get("used")
			.get("active_mailboxes").asLong()).isEqualTo(activeBefore - 2);
		// nothing else: the colleague's and the owner's mailboxes are untouched
		assertThat(api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/" + bobs, null).text("status")).isEqualTo("active");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + owners, null).text("status"))
			.isEqualTo("active");
		assertThat(api.bearer(b.apiKey(), "GET", "/api/v1/mailboxes/" + bobsShared.text("id") + "/members", null).json()
			.get("items").size()).isEqualTo(1);
		// the address stays taken until the purge
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "alice", "password", PW)).code()).isEqualTo("local_part_taken");
		// the invites they sent die with their membership
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/invites/" + pendingInvite, null).text("status"))
			.isEqualTo("canceled");

		// their access ends at once: key, web session, the mailboxes' own logins
		assertThat(api.bearer(a.apiKey(), "GET", "/api/v1/team", null).status()).isEqualTo(401);
		var afterwards = browser.get("/mailboxes");
		assertThat(afterwards.statusCode()).isEqualTo(302);
		assertThat(afterwards.headers().firstValue("Location").orElse("")).contains("/signin");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "alice@" + domain, PW, null).status()).isEqualTo(401);
		// they keep their account, back on their personal free organization
		var personal = api.basic("POST", "/api/v1/api-keys", a.email(), PW, Map.of("name", "mine", "scopes",
				List.of("team:read")));
		assertThat(personal.status()).isEqualTo(201);
		var home = api.bearer(personal.text("token"), "GET", "/api/v1/team", null);
		assertThat(home.text("organization_id")).isNotEqualTo(team.orgId().toString());
		assertThat(home.text("plan")).isEqualTo("free");
		assertThat(api.basic("POST", "/api/v1/api-keys", a.email(), PW, Map.of("organization_id",
				team.orgId().toString(), "name", "sneak", "scopes", List.of("team:read"))).status()).isEqualTo(404);

		assertThat(teams.userIdOf(team, a.email())).isNull();
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team", null).json().get("seats").get("used").asInt())
			.isEqualTo(2);
		String audit = api.bearer(team.apiKey(), "GET", "/api/v1/audit-events?action=team.member_removed", null)
			.raw().body();
		assertThat(audit).contains(a.email()).contains("alice@" + domain).contains("alice.old@" + domain)
			.contains("alice-team@" + domain);
	}

	/** Shares {@code mailboxId} with {@code email} (who accepts it); the address's password is PW. */
	void grant(String key, String mailboxId, String email) {
		var sent = api.bearer(key, "POST", "/api/v1/mailboxes/" + mailboxId + "/access-invites",
				Map.of("recipient_email", email, "permission", "reply", "mailbox_password", PW));
		assertThat(sent.status()).as(sent.raw().body()).isEqualTo(201);
		var accepted = api.basic("POST", "/api/v1/invitations/" + TeamFixture.token(sent.text("link")) + "/accept", email,
				PW, Map.of());
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
	}

	List<String> openableBy(String email) {
		List<String> addresses = new ArrayList<>();
		api.basic("GET", "/api/v1/me/mailboxes", email, PW, null).json().get("items")
			.forEach(i -> addresses.add(i.get("address").asString() + " " + i.get("access").asString()));
		return addresses;
	}

	@Test
	void aRemovedMemberLosesEveryGrantOnTheOrganizationsMailboxesAndTheirSessionsThereEnd() {
		String owners = teams.mailbox(team.apiKey(), domainId, "boss");
		String bobs = teams.mailbox(b.apiKey(), domainId, "bob");
		grant(team.apiKey(), owners, a.email());
		grant(b.apiKey(), bobs, a.email());
		// a grant from another organization is not this team's to end
		TestApi.Tenant elsewhere = api.newTenant("starter");
		String elsewhereDomain = api.activeDomain(elsewhere, "else");
		String theirs = teams.mailbox(elsewhere.apiKey(), teams.domainId(elsewhere, elsewhereDomain), "friend");
		grant(elsewhere.apiKey(), theirs, a.email());
		assertThat(openableBy(a.email())).containsExactlyInAnyOrder("boss@" + domain + " grant", "bob@" + domain + " grant",
				"friend@" + elsewhereDomain + " grant");

		List<MailboxAccessEnded> ended = new CopyOnWriteArrayList<>();
		ApplicationListener<ApplicationEvent> listener = event -> {
			if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof MailboxAccessEnded e) {
				ended.add(e);
			}
		};
		context.addApplicationListener(listener);
		try {
			assertThat(remove(a.userId(), "?confirm=true").status()).isEqualTo(204);
		}
		finally {
			context.removeApplicationListener(listener);
		}

		assertThat(openableBy(a.email())).containsExactly("friend@" + elsewhereDomain + " grant");
		for (String id : List.of(owners, bobs)) {
			assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + id + "/grants", null).json().get("items")
				.size()).isZero();
		}
		assertThat(ended).as("the mail plane is told to end their IMAP sessions there")
			.filteredOn(e -> e.reason().equals("grant_revoked"))
			.extracting(MailboxAccessEnded::address)
			.contains("boss@" + domain, "bob@" + domain)
			.doesNotContain("friend@" + elsewhereDomain);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/audit-events?action=team.member_removed", null).raw().body())
			.contains("grants_revoked");
	}

	@Test
	void theOperatorRestoresTheMailboxesAsTheyWereWithin24Hours() {
		String active = teams.mailbox(a.apiKey(), domainId, "alice");
		String archived = teams.mailbox(a.apiKey(), domainId, "alice.old");
		api.bearer(a.apiKey(), "PATCH", "/api/v1/mailboxes/" + archived, Map.of("status", "archived"));
		assertThat(remove(a.userId(), "?confirm=true").status()).isEqualTo(204);

		// the owner cannot: it is the operator's
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/operator/organizations/" + team.orgId()
				+ "/restore-member-mailboxes", Map.of("user_id", a.userId().toString())).status()).isIn(401, 403);
		assertThat(ownerSees(active)).isEqualTo(404);

		var restored = restore(team.orgId(), a.userId());
		assertThat(restored.status()).as(restored.raw().body()).isEqualTo(200);
		List<String> statuses = new ArrayList<>();
		restored.json().get("items").forEach(m -> statuses.add(m.get("address").asString() + " " + m.get("status").asString()));
		assertThat(statuses).containsExactlyInAnyOrder("alice@" + domain + " active", "alice.old@" + domain + " archived");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + active, null).text("status")).isEqualTo("active");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/" + archived, null).text("status"))
			.isEqualTo("archived");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "alice@" + domain, PW, null).status())
			.as("the active mailbox signs in again").isEqualTo(200);
		var again = restore(team.orgId(), a.userId());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("already_restored");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/audit-events?action=team.member_mailboxes_restored", null)
			.json().get("items").size()).isEqualTo(1);

		assertThat(restore(team.orgId(), b.userId()).status()).as("never removed").isEqualTo(404);
		assertThat(restore(UUID.randomUUID(), a.userId()).status()).isEqualTo(404);
		assertThat(restore(team.orgId(), null).status()).isEqualTo(422);
	}

	@Test
	void after24HoursTheRestoreIsGoneAndThePurgeRemovesTheMailboxesForGood() {
		String bobs = teams.mailbox(b.apiKey(), domainId, "bob");
		String kept = teams.mailbox(team.apiKey(), domainId, "kept");
		assertThat(remove(b.userId(), "?confirm=true").status()).isEqualTo(204);
		// 25 hours later (the clock moved on the removal itself, not by sleeping)
		TeamFixture.asOrganization(transactions, jdbc, team.orgId(),
				"update mailroom.team_removals set removed_at = removed_at - interval '25 hours' where user_id = :user",
				Map.of("user", b.userId()));
		var late = restore(team.orgId(), b.userId());
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("restore_window_expired");
		assertThat(ownerSees(bobs)).isEqualTo(404);

		// the mailboxes' purge date is the end of that window: once it has passed, the purge takes them
		TeamFixture.asOrganization(transactions, jdbc, team.orgId(),
				"update mailroom.mailboxes set purge_at = now() - interval '1 second' where id = :id",
				Map.of("id", UUID.fromString(bobs)));
		assertThat(mailboxService.purgeExpired(500)).isGreaterThanOrEqualTo(1);
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "bob", "password", PW)).status())
			.as("the address is free again").isEqualTo(201);
		assertThat(ownerSees(kept)).isEqualTo(200);
		assertThat(restore(team.orgId(), b.userId()).status()).isEqualTo(410);
	}

	@Test
	void theOwnerCannotBeRemovedNorSomeoneOutsideTheTeam() {
		var owner = remove(team.ownerId(), "?confirm=true");
		assertThat(owner.status()).isEqualTo(409);
		assertThat(owner.code()).isEqualTo("cannot_remove_owner");
		assertThat(remove(UUID.randomUUID(), "?confirm=true").status()).isEqualTo(404);
		TestApi.Tenant other = api.newTenant("team");
		TeamFixture.Member elsewhere = teams.join(other, "elsewhere");
		assertThat(remove(elsewhere.userId(), "?confirm=true").status()).isEqualTo(404);
		assertThat(teams.userIdOf(other, elsewhere.email())).isEqualTo(elsewhere.userId());
	}

	@Test
	void aRemovedMemberMayBeInvitedAgainAndStartsFresh() {
		String mailbox = teams.mailbox(a.apiKey(), domainId, "alice");
		assertThat(remove(a.userId(), "?confirm=true").status()).isEqualTo(204);
		String token = TeamFixture.token(teams.invite(team, a.email()).text("link"));
		assertThat(api.basic("POST", "/api/v1/invitations/" + token + "/accept", a.email(), PW, Map.of()).status())
			.isEqualTo(200);
		var key = api.basic("POST", "/api/v1/api-keys", a.email(), PW, Map.of("organization_id", team.orgId().toString(),
				"name", "back", "scopes", List.of("mailboxes:read")));
		assertThat(api.bearer(key.text("token"), "GET", "/api/v1/mailboxes", null).json().get("items").size()).isZero();
		assertThat(api.bearer(key.text("token"), "GET", "/api/v1/mailboxes/" + mailbox, null).status()).isEqualTo(404);
	}
}
