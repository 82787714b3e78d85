package dev.mailroom.domains;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import dev.mailroom.TestDnsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Another organization's domain is invisible: every domain endpoint answers 404 {@code not_found}
 * to a foreign key, exactly as for an id that does not exist, and changes nothing.
 */
@MailroomTest
class DomainIsolationTests {

	private static Tenant a;
	private static Tenant b;

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (a == null) {
			a = api.newTenant("starter");
			b = api.newTenant("starter");
		}
	}

	@Test
	void anotherOrganizationsKeyCannotReadVerifyOrDeleteADomain() {
		Response added = api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", unique()));
		assertThat(added.status()).isEqualTo(201);
		String id = added.text("id");
		// The record is published, so a verify that leaked across organizations would succeed.
		TestDnsServer.shared().publishTxt(added.json().get("verification").get("name").asString(),
				added.json().get("verification").get("value").asString());
		String unknown = UUID.randomUUID().toString();

		for (String[] call : List.of(new String[] { "GET", "" }, new String[] { "POST", "/verify" },
				new String[] { "DELETE", "" })) {
			Response foreign = api.bearer(b.apiKey(), call[0], "/api/v1/domains/" + id + call[1], null);
			Response missing = api.bearer(b.apiKey(), call[0], "/api/v1/domains/" + unknown + call[1], null);
			assertNotFound(foreign);
			assertNotFound(missing);
			assertThat(withoutInstance(foreign.json()))
				.as("%s%s reveals nothing more than for an unknown id", call[0], call[1])
				.isEqualTo(withoutInstance(missing.json()));
		}

		Response stillThere = api.bearer(a.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(stillThere.status()).isEqualTo(200);
		assertThat(stillThere.text("status")).as("B's verify did not activate A's domain").isEqualTo("pending");
	}

	@Test
	void listsShowOnlyTheOrganizationsOwnDomains() {
		String aName = unique();
		String bName = unique();
		String aId = api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", aName)).text("id");
		String bId = api.bearer(b.apiKey(), "POST", "/api/v1/domains", Map.of("name", bName)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + aId + "/mark-verified", null);

		for (String query : List.of("", "?status=active", "?status=pending", "?limit=1")) {
			List<String> bIds = ids(b, query);
			assertThat(bIds).as("B's list %s", query).doesNotContain(aId);
			List<String> aIds = ids(a, query);
			assertThat(aIds).as("A's list %s", query).doesNotContain(bId);
		}
		assertThat(ids(a, "")).contains(aId);
		assertThat(ids(b, "")).contains(bId);
	}

	@Test
	void aKeyCannotBeLimitedToAnotherOrganizationsDomain() {
		String aId = api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", unique())).text("id");

		Response key = api.basic("POST", "/api/v1/api-keys", b.ownerEmail(), TestApi.PASSWORD, Map.of("organization_id",
				b.orgId().toString(), "name", "sneaky", "scopes", List.of("domains:read"), "domain_ids", List.of(aId)));

		assertThat(key.status()).isEqualTo(422);
		assertThat(key.code()).isEqualTo("invalid_domain");
	}

	@Test
	void auditEventsStayWithTheOrganization() {
		String name = unique();
		String id = api.bearer(a.apiKey(), "POST", "/api/v1/domains", Map.of("name", name)).text("id");

		Response aEvents = api.bearer(a.apiKey(), "GET", "/api/v1/audit-events?action=domain.added", null);
		assertThat(aEvents.status()).isEqualTo(200);
		JsonNode event = null;
		for (JsonNode item : aEvents.json().get("items")) {
			if (("domain:" + id).equals(item.get("target").asString())) {
				event = item;
			}
		}
		assertThat(event).as("A's audit log has domain.added for %s", id).isNotNull();
		assertThat(event.get("action").asString()).isEqualTo("domain.added");
		assertThat(event.get("actor").asString()).startsWith("api_key:").contains(a.ownerEmail());
		assertThat(event.get("ip").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
		assertThat(event.get("details").get("name").asString()).isEqualTo(name);

		Response bEvents = api.bearer(b.apiKey(), "GET", "/api/v1/audit-events", null);
		assertThat(bEvents.status()).isEqualTo(200);
		assertThat(bEvents.json().get("items").toString()).doesNotContain(id).doesNotContain(name);
		Response bFiltered = api.bearer(b.apiKey(), "GET", "/api/v1/audit-events?action=domain.added", null);
		assertThat(bFiltered.json().get("items").toString()).doesNotContain(id);
	}

	/** The problem without {@code instance} (the request path, which differs by the id asked for). */
	private static JsonNode withoutInstance(JsonNode problem) {
		ObjectNode copy = (ObjectNode) problem.deepCopy();
		copy.remove("instance");
		return copy;
	}

	private static void assertNotFound(Response response) {
		assertThat(response.status()).as(response.raw().request().method() + " " + response.raw().uri()).isEqualTo(404);
		assertThat(response.code()).isEqualTo("not_found");
	}

	private List<String> ids(Tenant tenant, String query) {
		List<String> ids = new ArrayList<>();
		String next = query;
		while (true) {
			Response page = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains" + next, null);
			assertThat(page.status()).isEqualTo(200);
			page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
			if (page.json().get("next_cursor").isNull()) {
				return ids;
			}
			next = (query.isEmpty() ? "?" : query + "&") + "cursor=" + page.json().get("next_cursor").asString();
		}
	}

	private static String unique() {
		return "iso-" + UUID.randomUUID() + ".example";
	}
}
