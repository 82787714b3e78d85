package dev.mailroom.team;

import static dev.mailroom.team.TeamFixture.PW;
import static dev.mailroom.team.TeamFixture.email;
import static dev.mailroom.team.TeamFixture.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * Team invitations through the API (API.md "Team", "Invitation links"): the three ways of
 * accepting (a new person, a free user, a user on another paid plan), the link's lifecycle, and
 * the seats — also under concurrency.
 */
@MailroomTest
class TeamInvitationTests {

	static final Pattern LINK = Pattern.compile("(http://localhost:\\d+/invite/([A-Za-z0-9_-]{64}))");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestApi api;
	TeamFixture teams;
	TestApi.Tenant team;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		teams = new TeamFixture(api);
		team = api.newTenant("team");
	}

	TestApi.Response accept(String token, String email) {
		return api.basic("POST", "/api/v1/invitations/" + token + "/accept", email, PW, Map.of());
	}

	List<String> memberEmails() {
		List<String> emails = new ArrayList<>();
		api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items")
			.forEach(m -> emails.add(m.get("email").asString() + " " + m.get("role").asString()));
		return emails;
	}

	@Test
	void scenarioA_aNewPersonCreatesAnAccountFromTheEmailedLinkAndJoins() {
		String newcomer = email("newcomer");
		var sent = teams.invite(team, newcomer.toUpperCase());
		assertThat(sent.status()).isEqualTo(201);
		assertThat(sent.text("email")).isEqualTo(newcomer);
		assertThat(sent.text("status")).isEqualTo("pending");
		Instant expires = Instant.parse(sent.text("expires_at"));
		assertThat(Duration.between(Instant.parse(sent.text("sent_at")), expires).toHours()).isEqualTo(7 * 24);

		var email = TestMailServer.shared().await(newcomer, 1, Duration.ofSeconds(20));
		assertThat(email).hasSize(1);
		String text = TestMailServer.text(email.getFirst());
		assertThat(text).contains("Org " + team.ownerEmail()).contains("Owner").contains("7 days");
		assertThat(TestMailServer.html(email.getFirst())).contains("Join the team");
		Matcher link = LINK.matcher(text);
		assertThat(link.find()).isTrue();
		assertThat(link.group(1)).isEqualTo(sent.text("link"));

		var info = api.anonymous("GET", "/api/v1/invitations/" + link.group(2), null);
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.text("kind")).isEqualTo("team");
		assertThat(info.text("organization_name")).isEqualTo("Org " + team.ownerEmail());
		assertThat(info.text("inviter_name")).isEqualTo("Owner");
		assertThat(info.text("recipient_email")).isEqualTo(newcomer);

		var joined = api.anonymous("POST", "/api/v1/invitations/" + link.group(2) + "/accept",
				api.createAccountFromEmail(newcomer, link.group(2), PW, "Newcomer"));
		assertThat(joined.status()).as(joined.raw().body()).isEqualTo(200);
		assertThat(joined.text("organization_id")).isEqualTo(team.orgId().toString());

		assertThat(memberEmails()).containsExactly(team.ownerEmail() + " owner", newcomer + " member");
		// the new person's keys default to the team (their only shared organization)
		var key = api.basic("POST", "/api/v1/api-keys", newcomer, PW, Map.of("name", "k", "scopes", List.of("team:read")));
		assertThat(key.status()).isEqualTo(201);
		var seen = api.bearer(key.text("token"), "GET", "/api/v1/team", null);
		assertThat(seen.text("organization_id")).isEqualTo(team.orgId().toString());
		assertThat(seen.json().get("seats").get("limit").asInt()).isEqualTo(5);
		assertThat(seen.json().get("seats").get("used").asInt()).isEqualTo(2);
		assertThat(seen.text("owner_user_id")).isEqualTo(team.ownerId().toString());

		var invitations = api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations", null).json().get("items");
		assertThat(invitations.size()).isEqualTo(1);
		assertThat(invitations.get(0).get("status").asString()).isEqualTo("accepted");
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + link.group(2), null).code()).isEqualTo("invite_used");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/audit-events?limit=200", null).raw().body())
			.contains("invite.team_sent").contains("team.member_joined").contains("invite.accepted");
	}

	@Test
	void scenarioB_anExistingFreeUserSignsInAndAccepts() {
		String free = teams.signUp("free");
		String token = token(teams.invite(team, free).text("link"));
		var joined = accept(token, free);
		assertThat(joined.status()).as(joined.raw().body()).isEqualTo(200);
		assertThat(memberEmails()).contains(free + " member");
		// they keep their personal organization next to the team
		var mine = api.basic("POST", "/api/v1/api-keys", free, PW, Map.of("name", "k", "scopes", List.of("team:read")));
		assertThat(api.bearer(mine.text("token"), "GET", "/api/v1/team", null).text("organization_id"))
			.isEqualTo(team.orgId().toString());
	}

	@Test
	void scenarioC_theOwnerOfAPaidPlanIsRefusedUntilThatPlanIsCanceled() {
		TestApi.Tenant paid = api.newTenant("pro");
		String token = token(teams.invite(team, paid.ownerEmail()).text("link"));
		var refused = api.basic("POST", "/api/v1/invitations/" + token + "/accept", paid.ownerEmail(), TestApi.PASSWORD,
				Map.of());
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("paid_plan_conflict");
		assertThat(refused.json().get("detail").asString()).contains("Pro plan").contains("Cancel that plan first");
		assertThat(memberEmails()).doesNotContain(paid.ownerEmail() + " member");
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token, null).text("status")).as("still usable")
			.isEqualTo("pending");

		// once the operator moves that organization to the free plan, the same link works
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + paid.orgId(), Map.of("plan", "free"))
			.status()).isEqualTo(200);
		assertThat(api.basic("POST", "/api/v1/invitations/" + token + "/accept", paid.ownerEmail(), TestApi.PASSWORD,
				Map.of()).status()).isEqualTo(200);
		assertThat(memberEmails()).contains(paid.ownerEmail() + " member");
	}

	@Test
	void aMemberOfAnotherTeamIsOnAPaidPlanToo() {
		TestApi.Tenant other = api.newTenant("team");
		TeamFixture.Member member = teams.join(other, "busy");
		var refused = accept(token(teams.invite(team, member.email()).text("link")), member.email());
		assertThat(refused.code()).isEqualTo("paid_plan_conflict");
	}

	@Test
	void onlyTheInvitedEmailMayAcceptAndOnlyOnce() {
		String invited = teams.signUp("invited");
		String stranger = teams.signUp("stranger");
		String token = token(teams.invite(team, invited).text("link"));
		var wrong = accept(token, stranger);
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(wrong.code()).isEqualTo("invite_email_mismatch");
		var wrongAccount = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				Map.of("create_account", Map.of("email", email("other"), "password", PW, "name", "Other")));
		assertThat(wrongAccount.code()).isEqualTo("invite_email_mismatch");
		assertThat(api.anonymous("POST", "/api/v1/invitations/" + token + "/accept", Map.of()).status()).isEqualTo(401);
		var takenEmail = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(invited, token, PW, "Twin"));
		assertThat(takenEmail.code()).as("an existing account signs in instead").isEqualTo("email_taken");

		assertThat(accept(token, invited).status()).isEqualTo(200);
		var again = accept(token, invited);
		assertThat(again.status()).isEqualTo(410);
		assertThat(again.code()).isEqualTo("invite_used");
		var twice = teams.invite(team, invited);
		assertThat(twice.status()).isEqualTo(409);
		assertThat(twice.code()).isEqualTo("already_member");
	}

	@Test
	void canceledReplacedAndExpiredLinksAnswer410() {
		String person = teams.signUp("late");
		var first = teams.invite(team, person);
		var duplicate = teams.invite(team, person);
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.code()).isEqualTo("already_invited");

		var resent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + first.text("id") + "/resend", null);
		assertThat(resent.status()).isEqualTo(200);
		assertThat(resent.text("link")).isNotEqualTo(first.text("link"));
		var replaced = accept(token(first.text("link")), person);
		assertThat(replaced.status()).isEqualTo(410);
		assertThat(replaced.code()).isEqualTo("invite_canceled");

		var canceled = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + first.text("id") + "/cancel", null);
		assertThat(canceled.text("status")).isEqualTo("canceled");
		assertThat(accept(token(resent.text("link")), person).code()).isEqualTo("invite_canceled");
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + first.text("id") + "/resend", null)
			.code()).isEqualTo("invite_not_pending");

		var second = teams.invite(team, person);
		TeamFixture.asOrganization(transactions, jdbc, team.orgId(),
				"update mailroom.invites set expires_at = now() - interval '1 second' where id = :id",
				Map.of("id", UUID.fromString(second.text("id"))));
		var expired = accept(token(second.text("link")), person);
		assertThat(expired.status()).isEqualTo(410);
		assertThat(expired.code()).isEqualTo("invite_expired");
		var listed = api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations?status=expired", null).json().get("items");
		assertThat(listed.size()).isEqualTo(1);
		assertThat(listed.get(0).get("id").asString()).isEqualTo(second.text("id"));

		// an expired invitation comes back with a fresh link when resent
		var revived = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + second.text("id") + "/resend", null);
		assertThat(revived.text("status")).isEqualTo("pending");
		assertThat(accept(token(revived.text("link")), person).status()).isEqualTo(200);
	}

	@Test
	void teamInvitationsAreNotReachableThroughTheMailboxInviteEndpoints() {
		String id = teams.invite(team, email("hidden")).text("id");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/invites/" + id, null).status()).isEqualTo(404);
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/mailboxes/invites/" + id + "/cancel", null).status())
			.isEqualTo(404);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/mailboxes/invites", null).raw().body()).doesNotContain(id);
	}

	@Test
	void invitesStopAtTheSeatsAndPendingInvitationsHoldSeats() {
		// the team plan has 5 seats: the owner and four more
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			var sent = teams.invite(team, email("seat" + i));
			assertThat(sent.status()).isEqualTo(201);
			ids.add(sent.text("id"));
		}
		var full = teams.invite(team, email("fifth"));
		assertThat(full.status()).isEqualTo(409);
		assertThat(full.code()).isEqualTo("seat_limit_reached");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team", null).json().get("seats").get("used").asInt())
			.isEqualTo(5);

		api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + ids.getFirst() + "/cancel", null);
		assertThat(teams.invite(team, email("fifth")).status()).as("a canceled invitation frees its seat").isEqualTo(201);
		// an expired invitation frees its seat too, and needs one again to be resent
		TeamFixture.asOrganization(transactions, jdbc, team.orgId(),
				"update mailroom.invites set expires_at = now() - interval '1 second' where id = :id",
				Map.of("id", UUID.fromString(ids.get(1))));
		assertThat(teams.invite(team, email("sixth")).status()).isEqualTo(201);
		var resend = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + ids.get(1) + "/resend", null);
		assertThat(resend.status()).isEqualTo(409);
		assertThat(resend.code()).isEqualTo("seat_limit_reached");

		// a plan with one seat has no room besides its owner
		TestApi.Tenant starter = api.newTenant("starter");
		assertThat(teams.invite(starter, email("nope")).code()).isEqualTo("seat_limit_reached");
	}

	@Test
	void tenConcurrentInvitesFillExactlyTheFreeSeats() throws Exception {
		List<Integer> statuses = Race.of(10, i -> teams.invite(team, email("racer" + i)).status());
		assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(4);
		assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(6);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations?status=pending", null).json().get("items")
			.size()).isEqualTo(4);
	}

	@Test
	void tenConcurrentAcceptsFillExactlyTheSeatsLeftWhenTheOperatorLoweredThem() throws Exception {
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + team.orgId(),
				Map.of("limits", Map.of("seats", 11))).status()).isEqualTo(200);
		List<String> people = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			String person = teams.signUp("crowd" + i);
			people.add(person);
			tokens.add(token(teams.invite(team, person).text("link")));
		}
		// seats 4: the owner holds one, so exactly three of the ten may join
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + team.orgId(),
				Map.of("limits", Map.of("seats", 4))).status()).isEqualTo(200);
		List<Integer> statuses = Race.of(10, i -> accept(tokens.get(i), people.get(i)).status());
		assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(3);
		assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(7);
		assertThat(memberEmails()).hasSize(4);
		var refused = accept(tokens.get(statuses.indexOf(409)), people.get(statuses.indexOf(409)));
		assertThat(refused.code()).isEqualTo("seat_limit_reached");
	}

	@Test
	void badInputIsRefusedWithACode() {
		var invalid = teams.invite(team, "not an email");
		assertThat(invalid.status()).isEqualTo(422);
		assertThat(invalid.code()).isEqualTo("invalid_email");
		var missing = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of());
		assertThat(missing.status()).isEqualTo(422);
		var language = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations",
				Map.of("email", email("lang"), "language", "xx"));
		assertThat(language.code()).isEqualTo("invalid_language");
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/" + UUID.randomUUID() + "/resend", null)
			.status()).isEqualTo(404);
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations/not-a-uuid/cancel", null).status())
			.isEqualTo(400);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations?status=lost", null).status()).isEqualTo(422);
		assertThat(api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", "{").status()).isEqualTo(400);
		String token = token(teams.invite(team, email("avail")).text("link"));
		assertThat(api.anonymous("GET", "/api/v1/invitations/" + token + "/availability?local_part=x", null)
			.json().get("code").asString()).isEqualTo("wrong_invite_kind");
	}

	@Test
	void anInvitationPostHonoursItsIdempotencyKey() {
		String person = email("once");
		Map<String, String> key = Map.of("Idempotency-Key", "team-" + UUID.randomUUID());
		var first = api.send("POST", "/api/v1/team/invitations", Map.of("email", person), "Bearer " + team.apiKey(), key);
		var again = api.send("POST", "/api/v1/team/invitations", Map.of("email", person), "Bearer " + team.apiKey(), key);
		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.text("id")).isEqualTo(first.text("id"));
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
	}
}
