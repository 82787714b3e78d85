package dev.mailroom.team.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
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
 * The team's pages over plain HTTP: the invitation page for each kind of person, the owner-only
 * Manage members page, the removal confirmation that names the mailboxes, and Usage.
 */
@MailroomTest
class TeamPagesTests {

	static final String PW = "Sturdy-Team-Pass-8";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant team;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		team = api.newTenant("team");
	}

	static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
	}

	String invite(String email) {
		var sent = api.bearer(team.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", email));
		assertThat(sent.status()).isEqualTo(201);
		return URI.create(sent.text("link")).getRawPath();
	}

	String signUp(String prefix) {
		String email = email(prefix);
		api.signUpVerified(email, PW, prefix);
		return email;
	}

	@Test
	void aSignedInUserOnAnotherPaidPlanIsToldToCancelItFirst() {
		TestApi.Tenant paid = api.newTenant("hobbyist");
		String path = invite(paid.ownerEmail());
		WebSession session = WebSession.signIn(api.base(), paid.ownerEmail(), TestApi.PASSWORD);
		HttpResponse<String> page = session.get(path);
		assertThat(page.statusCode()).isEqualTo(409);
		assertThat(page.body()).contains("id=\"paid-plan-conflict\"").contains("Hobbyist plan")
			.contains("Cancel your current plan first").doesNotContain("id=\"accept-team\"");
		// trying anyway changes nothing and says the same
		HttpResponse<String> tried = session.post(path + "/team", Map.of(), path);
		assertThat(tried.statusCode()).isEqualTo(409);
		assertThat(tried.body()).contains("id=\"paid-plan-conflict\"");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).raw().body())
			.doesNotContain(paid.ownerEmail());
	}

	@Test
	void scenarioB_aSignedInFreeUserAcceptsAndLandsOnTheTeamsMailboxes() {
		String free = signUp("free");
		String path = invite(free);
		HttpResponse<String> anonymous = new WebSession(api.base()).get(path);
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).contains("Org " + team.ownerEmail()).contains("id=\"team-create-account\"")
			.contains(free);

		WebSession session = WebSession.signIn(api.base(), free, PW);
		HttpResponse<String> page = session.get(path);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"accept-team\"").contains("Accept invitation");
		HttpResponse<String> accepted = session.post(path + "/team", Map.of(), path);
		assertThat(accepted.statusCode()).isEqualTo(302);
		// a new member lands on the Mail page (here without a mail plane: it says so, the welcome shows)
		assertThat(accepted.headers().firstValue("Location").orElse("")).endsWith("/mail");
		HttpResponse<String> mail = session.get("/mail");
		assertThat(mail.statusCode()).isEqualTo(200);
		assertThat(mail.body()).contains("Welcome to Org " + team.ownerEmail()).contains("id=\"mail-not-connected\"");
		assertThat(session.get("/dashboard").body()).as("the session moved to the team")
			.contains("Org " + team.ownerEmail());
		assertThat(session.get(path).statusCode()).as("used").isEqualTo(410);
	}

	@Test
	void aSignedInPersonWithAnotherEmailIsToldWhoTheInvitationIsFor() {
		String invited = email("invited");
		String other = signUp("other");
		String path = invite(invited);
		WebSession session = WebSession.signIn(api.base(), other, PW);
		HttpResponse<String> page = session.get(path);
		assertThat(page.body()).contains("id=\"team-wrong-account\"").contains(invited)
			.doesNotContain("id=\"accept-team\"");
	}

	@Test
	void aMemberIsNotAskedToAddADomainTheyMayNotAdd() {
		String member = email("member");
		String path = invite(member);
		String token = path.substring(path.lastIndexOf('/') + 1);
		api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(member, token, PW, "Max Member"));

		WebSession asMember = WebSession.signIn(api.base(), member, PW);
		String dashboard = asMember.get("/dashboard").body();
		assertThat(dashboard).doesNotContain("Add your first domain").contains("No domains yet")
			.contains("An owner or admin of this organization adds its domains");
		String domains = asMember.get("/domains").body();
		assertThat(domains).doesNotContain("Add your first domain").doesNotContain("Add a domain")
			.doesNotContain("id=\"domain-name\"").contains("No domains yet");

		// the owner still is
		WebSession asOwner = WebSession.signIn(api.base(), team.ownerEmail(), TestApi.PASSWORD);
		assertThat(asOwner.get("/dashboard").body()).contains("Add your first domain").doesNotContain("No domains yet");
		assertThat(asOwner.get("/domains").body()).contains("Add your first domain").contains("id=\"domain-name\"");
	}

	@Test
	void onlyTheOwnerOpensMembersManagementAndTheRemovalNamesTheMailboxes() {
		String domain = api.activeDomain(team, "pages");
		String domainId = api.bearer(team.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		String member = email("member");
		String path = invite(member);
		String token = path.substring(path.lastIndexOf('/') + 1);
		api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(member, token, PW, "Mia Member"));
		var key = api.basic("POST", "/api/v1/api-keys", member, PW,
				Map.of("name", "k", "scopes", List.of("mailboxes:write", "mailboxes:read")));
		api.bearer(key.text("token"), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "mia", "password", PW));
		String userId = api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items").get(1)
			.get("user_id").asString();

		WebSession asMember = WebSession.signIn(api.base(), member, PW);
		assertThat(asMember.get("/team/members").statusCode()).isEqualTo(403);
		assertThat(asMember.get("/team/members/" + userId + "/remove").statusCode()).isEqualTo(403);
		HttpResponse<String> memberDashboard = asMember.get("/dashboard");
		assertThat(memberDashboard.body()).contains("id=\"menu-usage\"").doesNotContain("id=\"menu-members\"");
		HttpResponse<String> memberUsage = asMember.get("/team/usage");
		assertThat(memberUsage.statusCode()).isEqualTo(200);
		assertThat(memberUsage.body()).contains("Your share").contains(member).doesNotContain("id=\"usage-totals\"");
		assertThat(memberUsage.body().split("class=\"member-usage\"", -1)).as("only their own row").hasSize(2);

		WebSession asOwner = WebSession.signIn(api.base(), team.ownerEmail(), TestApi.PASSWORD);
		assertThat(asOwner.get("/dashboard").body()).contains("id=\"menu-members\"").contains("id=\"menu-usage\"");
		HttpResponse<String> management = asOwner.get("/team/members");
		assertThat(management.statusCode()).isEqualTo(200);
		assertThat(management.body()).contains("<h1>Manage members</h1>").contains("Invite a new member")
			.doesNotContain("Members Management").doesNotContain("Invite New Member").contains(member)
			.contains("Mia Member").contains("Team Member").contains("2 of 5 seats used").contains("Accepted");
		assertThat(asOwner.get("/mailboxes").body()).as("the owner sees who created each mailbox")
			.contains("mia@" + domain).contains("by " + member);
		assertThat(asMember.get("/mailboxes").body()).contains("mia@" + domain).doesNotContain("by " + member);
		HttpResponse<String> ownerUsage = asOwner.get("/team/usage");
		assertThat(ownerUsage.body()).contains("Per member").contains(member).contains("id=\"usage-totals\"");
		assertThat(ownerUsage.body().split("class=\"member-usage\"", -1)).as("the owner and the member").hasSize(3);

		HttpResponse<String> confirm = asOwner.get("/team/members/" + userId + "/remove");
		assertThat(confirm.statusCode()).isEqualTo(200);
		assertThat(confirm.body()).contains("mia@" + domain).contains("1 mailbox(es)");
		// without the box ticked nothing happens and the page says why
		String confirmPath = "/team/members/" + userId + "/remove";
		HttpResponse<String> unticked = asOwner.post(confirmPath, Map.of(), confirmPath);
		assertThat(unticked.statusCode()).isEqualTo(302);
		assertThat(asOwner.get(confirmPath).body()).contains("Tick the box");
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items").size()).isEqualTo(2);

		HttpResponse<String> removed = asOwner.post(confirmPath, Map.of("confirm", "true"), confirmPath);
		assertThat(removed.headers().firstValue("Location").orElse("")).endsWith("/team/members");
		assertThat(asOwner.get("/team/members").body()).contains(member + " was removed")
			.contains("mia@" + domain);
		assertThat(api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json().get("items").size()).isEqualTo(1);
		assertThat(asMember.get("/dashboard").statusCode()).as("signed out at once").isEqualTo(302);
	}

	@Test
	void theOwnerInvitesResendsAndCancelsFromThePage() {
		WebSession owner = WebSession.signIn(api.base(), team.ownerEmail(), TestApi.PASSWORD);
		String person = email("page-invited");
		HttpResponse<String> sent = owner.post("/team/invitations", Map.of("email", person, "language", "fr"),
				"/team/members");
		assertThat(sent.headers().firstValue("Location").orElse("")).endsWith("/team/members");
		assertThat(owner.get("/team/members").body()).contains("Invitation sent to " + person).contains("Pending");
		String id = api.bearer(team.apiKey(), "GET", "/api/v1/team/invitations", null).json().get("items").get(0)
			.get("id").asString();
		owner.post("/team/invitations/" + id + "/resend", Map.of(), "/team/members");
		assertThat(owner.get("/team/members").body()).contains("previous link no longer works");
		owner.post("/team/invitations/" + id + "/cancel", Map.of(), "/team/members");
		assertThat(owner.get("/team/members").body()).contains("was canceled").contains("Canceled");

		HttpResponse<String> invalid = owner.post("/team/invitations", Map.of("email", "nope"), "/team/members");
		assertThat(invalid.statusCode()).isEqualTo(302);
		assertThat(owner.get("/team/members").body()).contains("Enter a valid email address");
	}
}
