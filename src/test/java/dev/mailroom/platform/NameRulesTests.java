package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of name (a person's, an organization's, an API key's, a mailbox's and a shared
 * mailbox's display name) refuses bidirectional overrides and isolates, direction marks, line
 * and paragraph separators and control characters alike: 422 {@code invalid_name}, nothing
 * created or changed.
 */
@MailroomTest
class NameRulesTests {

	/** Past the edge's control-character check (which refuses C0 and DEL but keeps tab and line breaks in text). */
	static final List<String> REFUSED = List.of("invoice\u202Egnp.exe", "a\u202Ab", "a\u2066b", "a\u2069b", "a\u200Fb",
			"a\u2028b", "a\u2029b", "a\u0085b", "a\tb", "a\nb");

	private static Tenant tenant;
	private static String domainId;
	private static String mailboxId;

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (tenant == null) {
			tenant = api.newTenant("team");
			String domain = api.activeDomain(tenant, "names");
			for (JsonNode d : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
				if (d.get("name").asString().equals(domain)) {
					domainId = d.get("id").asString();
				}
			}
			Response created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
					Map.of("domain_id", domainId, "local_part", "named", "display_name", "Named"));
			assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
			mailboxId = created.json().get("mailbox").get("id").asString();
		}
	}

	@Test
	void signUpRefusesSuchPersonNames() {
		SoftAssertions softly = new SoftAssertions();
		for (String name : REFUSED) {
			Response response = api.anonymous("POST", "/api/v1/signup",
					Map.of("email", "names-" + UUID.randomUUID() + "@people.test", "password", TestApi.PASSWORD, "name", name));
			assertInvalidName(softly, "sign-up name " + name, response);
		}
		softly.assertAll();
	}

	@Test
	void theOperatorCannotGiveSuchNamesToAnOrganizationOrItsOwner() {
		SoftAssertions softly = new SoftAssertions();
		for (String name : REFUSED) {
			String email = "names-" + UUID.randomUUID() + "@people.test";
			assertInvalidName(softly, "organization name " + name, api.operator("POST", "/api/v1/operator/organizations",
					Map.of("name", name, "plan", "starter", "owner", Map.of("email", email, "password", TestApi.PASSWORD))));
			assertInvalidName(softly, "owner name " + name, api.operator("POST", "/api/v1/operator/organizations",
					Map.of("name", "Names Inc", "plan", "starter",
							"owner", Map.of("email", email, "password", TestApi.PASSWORD, "name", name))));
		}
		softly.assertAll();
	}

	@Test
	void apiKeyNamesFollowTheSameRuleAsOtherNames() {
		int before = keys();
		SoftAssertions softly = new SoftAssertions();
		for (String name : REFUSED) {
			assertInvalidName(softly, "API key name " + name, api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
					Map.of("name", name, "scopes", List.of("domains:read"))));
		}
		softly.assertAll();
		assertThat(keys()).isEqualTo(before);
	}

	@Test
	void mailboxDisplayNamesFollowTheRuleOnCreateBulkCreateAndChange() {
		SoftAssertions softly = new SoftAssertions();
		for (String name : REFUSED) {
			assertInvalidName(softly, "display name " + name, api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
					Map.of("domain_id", domainId, "local_part", "n" + UUID.randomUUID().toString().substring(0, 8),
							"display_name", name)));
			Response bulk = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes:bulk", Map.of("domain_id", domainId,
					"items", List.of(Map.of("local_part", "n" + UUID.randomUUID().toString().substring(0, 8),
							"display_name", name))));
			softly.assertThat(bulk.status()).as("bulk display name " + name + ": " + bulk.raw().body()).isEqualTo(422);
			softly.assertThat(bulk.raw().body()).as("bulk display name " + name).contains("\"invalid_name\"");
			assertInvalidName(softly, "changed display name " + name,
					api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + mailboxId, Map.of("display_name", name)));
		}
		softly.assertAll();
		Response mailbox = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId, null);
		assertThat(mailbox.text("display_name")).isEqualTo("Named");
	}

	@Test
	void sharedMailboxDisplayNamesFollowTheRule() {
		SoftAssertions softly = new SoftAssertions();
		for (String name : REFUSED) {
			assertInvalidName(softly, "shared display name " + name, api.bearer(tenant.apiKey(), "POST",
					"/api/v1/shared-mailboxes", Map.of("domain_id", domainId, "local_part",
							"s" + UUID.randomUUID().toString().substring(0, 8), "display_name", name, "members",
							List.of(Map.of("mailbox_id", mailboxId)))));
		}
		softly.assertAll();
	}

	@Test
	void namesInAnyScriptAreKept() {
		for (String name : List.of("Zoë O'Brien-Łukasz", "山田 太郎", "محمد علي", "Support 😀")) {
			Response key = api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
					Map.of("name", name, "scopes", List.of("domains:read")));
			assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
			Response changed = api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + mailboxId,
					Map.of("display_name", " " + name + " "));
			assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
			assertThat(changed.text("display_name")).isEqualTo(name);
		}
		api.bearer(tenant.apiKey(), "PATCH", "/api/v1/mailboxes/" + mailboxId, Map.of("display_name", "Named"));
	}

	private int keys() {
		return api.bearer(tenant.apiKey(), "GET", "/api/v1/api-keys?limit=200", null).json().get("items").size();
	}

	private static void assertInvalidName(SoftAssertions softly, String what, Response response) {
		softly.assertThat(response.status()).as(what + ": " + response.raw().body()).isEqualTo(422);
		softly.assertThat(response.code()).as(what).isEqualTo("invalid_name");
	}
}
