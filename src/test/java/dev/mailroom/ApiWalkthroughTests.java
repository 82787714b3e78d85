package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The "done when", through the API alone: an operator-made organization gets a verified
 * domain over real DNS, and no other organization can see it.
 */
@MailroomTest
class ApiWalkthroughTests {

	@LocalServerPort
	int port;

	@Test
	void operatorOrganizationOwnerKeyDomainDnsVerificationAndIsolation() {
		TestApi api = new TestApi(port);
		TestDnsServer dns = TestDnsServer.shared();
		String ownerEmail = "walkthrough-" + UUID.randomUUID() + "@example.test";

		Response organization = api.operator("POST", "/api/v1/operator/organizations", Map.of("name", "Walkthrough Ltd",
				"plan", "starter", "owner", Map.of("email", ownerEmail, "password", TestApi.PASSWORD, "name", "Wanda")));
		assertThat(organization.status()).isEqualTo(201);
		assertThat(organization.text("plan")).isEqualTo("starter");
		assertThat(organization.text("name")).isEqualTo("Walkthrough Ltd");
		UUID orgId = organization.id("id");
		assertThat(organization.id("owner_user_id")).isNotNull();

		Response key = api.basic("POST", "/api/v1/api-keys", ownerEmail, TestApi.PASSWORD,
				Map.of("name", "walkthrough", "scopes", List.of("domains:read", "domains:write")));
		assertThat(key.status()).isEqualTo(201);
		assertThat(key.id("organization_id")).as("the key defaults to the owner's organization").isEqualTo(orgId);
		assertThat(key.json().get("scopes").toString()).contains("domains:read", "domains:write");
		String token = key.text("token");

		String name = "walkthrough-" + UUID.randomUUID() + ".example";
		Response domain = api.bearer(token, "POST", "/api/v1/domains", Map.of("name", name));
		assertThat(domain.status()).isEqualTo(201);
		assertThat(domain.text("status")).isEqualTo("pending");
		String id = domain.text("id");
		String recordName = domain.json().get("verification").get("name").asString();
		String recordValue = domain.json().get("verification").get("value").asString();
		assertThat(recordName).isEqualTo("_mailroom-verification." + name);
		assertThat(recordValue).startsWith("mailroom-verification=");

		assertThat(api.bearer(token, "POST", "/api/v1/domains/" + id + "/verify", null).code())
			.isEqualTo("dns_record_not_found");

		dns.publishTxt(recordName, recordValue);
		Response verified = api.bearer(token, "POST", "/api/v1/domains/" + id + "/verify", null);
		assertThat(verified.status()).isEqualTo(200);
		assertThat(verified.text("status")).isEqualTo("active");
		assertThat(dns.queriesFor(recordName)).isGreaterThanOrEqualTo(2);

		Response fetched = api.bearer(token, "GET", "/api/v1/domains/" + id, null);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.text("status")).isEqualTo("active");
		assertThat(fetched.text("name")).isEqualTo(name);

		Tenant stranger = api.newTenant("starter");
		Response foreign = api.bearer(stranger.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(foreign.status()).isEqualTo(404);
		assertThat(foreign.code()).isEqualTo("not_found");
		assertThat(api.bearer(stranger.apiKey(), "GET", "/api/v1/domains", null).json().get("items").toString())
			.doesNotContain(id);
	}
}
