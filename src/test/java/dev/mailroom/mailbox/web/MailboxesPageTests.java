package dev.mailroom.mailbox.web;

import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The Mailboxes page over plain HTTP, for what needs no browser. */
@MailroomTest
class MailboxesPageTests {

	@LocalServerPort
	int port;

	@Test
	void withoutAMailPlaneThePageSaysSoAndShowsNoStorageUse() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "page");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "alice", "password", "Correct-horse-battery-9"));
		assertThat(created.status()).isEqualTo(201);

		Document page = Jsoup.parse(WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD)
			.get("/mailboxes").body());
		assertThat(page.select("#mailplane-not-connected").text()).contains("The mail server is not connected yet")
			.contains("storage usage is not available yet");
		// people's words: no environment variable or operator hint on a tenant's page
		assertThat(page.html()).doesNotContain("MAILROOM_").doesNotContain("README").doesNotContain("Mail plane");
		assertThat(page.select("th.mailbox-address").text()).contains("alice@" + domain);
		// what each way of creating does, and no promise of a webmail that does not exist yet
		assertThat(page.select("#create-mailbox .choices").text()).contains("Invite someone to set it up")
			.doesNotContain("Invite owner");
		assertThat(page.text()).doesNotContainIgnoringCase("webmail");
		Document invites = Jsoup.parse(WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD)
			.get("/mailboxes/invites").body());
		assertThat(invites.select("#invite-form-title").text()).isEqualTo("Invite someone to set up a mailbox");
		assertThat(invites.text()).doesNotContain("Invite owner");
		assertThat(page.select(".storage-used")).isEmpty();
		// the API says nothing it does not know
		var shown = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + created.json().get("mailbox").get("id")
			.asString(), null);
		assertThat(shown.json().has("storage_used_mb")).isFalse();
		assertThat(shown.json().has("message_count")).isFalse();
	}

	@Test
	void theProfileMenuPromisesARecoveryCodeOnlyWhereTheAccountPageHasOne() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "menu");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "bob", "password", "Correct-horse-battery-9")).status())
			.isEqualTo(201);

		WebSession mailboxLogin = WebSession.signIn(api.base(), "bob@" + domain, "Correct-horse-battery-9");
		Document own = Jsoup.parse(mailboxLogin.get("/account").body());
		assertThat(own.select("#menu-account .menu-note").text()).isEqualTo("Password and recovery code");
		assertThat(own.select("#change-password")).isNotEmpty();
		assertThat(own.select("#recovery-code")).isNotEmpty();

		WebSession owner = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		Document ownerAccount = Jsoup.parse(owner.get("/account").body());
		assertThat(ownerAccount.select("#menu-account .menu-note").text()).isEqualTo("Password");
		assertThat(ownerAccount.select("#change-password")).isNotEmpty();
		assertThat(ownerAccount.select("#recovery-code")).isEmpty();
	}

	@Test
	void aReservedLocalPartIsRefusedAsReservedNotAsInvalid() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		api.activeDomain(tenant, "reserved");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		WebSession session = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);

		var refused = session.post("/mailboxes",
				Map.of("domain_id", domainId, "local_part", "admin", "credentials", "generate"), "/mailboxes");
		assertThat(refused.statusCode()).isEqualTo(302);
		Document page = Jsoup.parse(session.get("/mailboxes").body());
		assertThat(page.select("#local_part-error").text())
			.isEqualTo("admin is reserved for the domain's administration; choose another");
		assertThat(page.text()).doesNotContain("reserved for the mail system").doesNotContain("Use letters, digits");
		// API clients keep the code, and get the same honest message
		var api422 = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "admin", "password", "Correct-horse-battery-9"));
		assertThat(api422.code()).isEqualTo("invalid_local_part");
		assertThat(api422.raw().body()).contains("admin is reserved for the domain's administration");
	}
}
