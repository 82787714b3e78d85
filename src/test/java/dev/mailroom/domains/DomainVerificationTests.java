package dev.mailroom.domains;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import dev.mailroom.TestDnsServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Domains through the real HTTP API, verified against a real DNS server ({@link TestDnsServer})
 * that the application's resolver is pointed at.
 */
@MailroomTest
class DomainVerificationTests {

	private static final String TOKEN_VALUE = "mailroom-verification=[A-Za-z0-9_-]{20,}";

	/** Two organizations with room for many domains, shared by the tests that need no limits of their own. */
	private static Tenant roomy;
	private static Tenant neighbour;

	@LocalServerPort
	int port;

	TestApi api;
	final TestDnsServer dns = TestDnsServer.shared();

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (roomy == null) {
			roomy = tenantWithDomainLimit(1000);
			neighbour = tenantWithDomainLimit(1000);
		}
	}

	@Test
	void addsAPendingDomainWithTheTxtRecordToPublish() {
		String name = unique("add");
		Response added = add(roomy, name);

		assertThat(added.status()).isEqualTo(201);
		assertThat(added.text("name")).isEqualTo(name);
		assertThat(added.text("status")).isEqualTo("pending");
		assertThat(UUID.fromString(added.text("id"))).isNotNull();
		JsonNode verification = added.json().get("verification");
		assertThat(verification.get("type").asString()).isEqualTo("TXT");
		assertThat(verification.get("name").asString()).isEqualTo("_mailroom-verification." + name);
		assertThat(verification.get("value").asString()).matches(TOKEN_VALUE);

		Response fetched = api.bearer(roomy.apiKey(), "GET", "/api/v1/domains/" + added.text("id"), null);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.text("status")).isEqualTo("pending");
		assertThat(fetched.json().get("verification").get("value").asString())
			.isEqualTo(verification.get("value").asString());

		Response second = add(roomy, unique("add"));
		assertThat(second.json().get("verification").get("value").asString())
			.as("every domain gets its own token")
			.isNotEqualTo(verification.get("value").asString());
	}

	@Test
	void normalisesCaseSpacesAndTheTrailingDot() {
		String name = unique("case");
		Response added = add(roomy, "  " + name.toUpperCase() + ".  ");
		assertThat(added.status()).isEqualTo(201);
		assertThat(added.text("name")).isEqualTo(name);
		assertThat(added.json().get("verification").get("name").asString()).isEqualTo("_mailroom-verification." + name);
	}

	@Test
	void verifiesOnlyOnceTheTxtRecordIsPublished() {
		String name = unique("verify");
		Response added = add(roomy, name);
		String id = added.text("id");
		String recordName = added.json().get("verification").get("name").asString();
		String recordValue = added.json().get("verification").get("value").asString();

		Response early = verify(roomy, id);
		assertThat(early.status()).isEqualTo(409);
		assertThat(early.code()).isEqualTo("dns_record_not_found");
		assertThat(early.json().get("verification").get("value").asString()).isEqualTo(recordValue);
		assertThat(dns.queriesFor(recordName)).as("the application asked the DNS server").isPositive();
		assertThat(status(roomy, id)).isEqualTo("pending");

		dns.publishTxt(recordName, "v=spf1 -all");
		dns.publishTxt(recordName, recordValue);
		Response verified = verify(roomy, id);

		assertThat(verified.status()).isEqualTo(200);
		assertThat(verified.text("status")).isEqualTo("active");
		assertThat(Instant.parse(verified.text("verified_at"))).isBeforeOrEqualTo(Instant.now());
		assertThat(status(roomy, id)).isEqualTo("active");

		Response again = verify(roomy, id);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.text("status")).isEqualTo("active");
	}

	@Test
	void aWrongValueOrAWrongPlaceKeepsTheDomainPending() {
		String name = unique("wrong");
		Response added = add(roomy, name);
		String id = added.text("id");
		String recordName = added.json().get("verification").get("name").asString();
		String recordValue = added.json().get("verification").get("value").asString();
		Response otherDomain = add(roomy, unique("wrong"));
		String othersValue = otherDomain.json().get("verification").get("value").asString();

		dns.publishTxt(recordName, "mailroom-verification=not-the-token");
		dns.publishTxt(recordName, othersValue);
		dns.publishTxt(recordName, recordValue + "x");
		dns.publishTxt(name, recordValue);
		long asked = dns.queriesFor(recordName);

		Response response = verify(roomy, id);
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.code()).isEqualTo("dns_record_not_found");
		assertThat(dns.queriesFor(recordName)).isGreaterThan(asked);
		assertThat(status(roomy, id)).isEqualTo("pending");
	}

	@Test
	void verifiesOverTcpWhenTheAnswerDoesNotFitInUdp() {
		String name = unique("tcp");
		Response added = add(roomy, name);
		String recordName = added.json().get("verification").get("name").asString();
		for (int i = 0; i < 12; i++) {
			dns.publishTxt(recordName, "filler-" + i + "-" + "x".repeat(200));
		}
		dns.publishTxt(recordName, added.json().get("verification").get("value").asString());

		Response verified = verify(roomy, added.text("id"));

		assertThat(verified.status()).isEqualTo(200);
		assertThat(verified.text("status")).isEqualTo("active");
		assertThat(dns.queriesFor(recordName, "tcp")).as("the truncated UDP answer was retried over TCP").isPositive();
	}

	@Test
	void aFailingDnsServerIsServiceUnavailableNotNotFound() {
		Response added = add(roomy, unique("servfail"));
		String recordName = added.json().get("verification").get("name").asString();
		dns.publishTxt(recordName, added.json().get("verification").get("value").asString());
		dns.failFor(recordName);
		try {
			Response response = verify(roomy, added.text("id"));
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.code()).isEqualTo("dns_unavailable");
			assertThat(status(roomy, added.text("id"))).isEqualTo("pending");
		}
		finally {
			dns.recover(recordName);
		}
		assertThat(verify(roomy, added.text("id")).status()).isEqualTo(200);
	}

	@Test
	void storesAnInternationalNameAsPunycodeAndVerifiesIt() {
		String label = UUID.randomUUID().toString();
		Response added = add(roomy, "Bücher." + label + ".Example");

		assertThat(added.status()).isEqualTo(201);
		String ascii = "xn--bcher-kva." + label + ".example";
		assertThat(added.text("name")).isEqualTo(ascii);
		String recordName = added.json().get("verification").get("name").asString();
		assertThat(recordName).isEqualTo("_mailroom-verification." + ascii);
		assertThat(names(roomy)).contains(ascii);

		Response sameInAscii = add(roomy, ascii);
		assertThat(sameInAscii.status()).isEqualTo(409);
		assertThat(sameInAscii.code()).isEqualTo("domain_taken");

		dns.publishTxt(recordName, added.json().get("verification").get("value").asString());
		assertThat(verify(roomy, added.text("id")).text("status")).isEqualTo("active");
	}

	@Test
	void rejectsInvalidNamesAndStoresNothing() {
		List<String> before = names(roomy);
		List<String> invalid = List.of("bad..name", "-x.com", "x-.com", "localhost", "a".repeat(64) + ".com",
				"<script>.com", "1.2.3.4", "", "   ", "exa mple.com", "example.com/path", "user@example.com", ".com",
				"*.example.com", "http://example.com", "a_b.com", "a".repeat(250) + ".com",
				"'; drop table mailroom.domains; --", "\uD83D\uDE00.com");

		SoftAssertions softly = new SoftAssertions();
		for (String name : invalid) {
			Response response = add(roomy, name);
			softly.assertThat(response.status()).as("status for [%s]", name).isEqualTo(422);
			softly.assertThat(response.code()).as("code for [%s]", name).isIn("invalid_domain", "validation_failed");
			softly.assertThat(response.json() == null ? null : response.json().path("errors").path(0).path("field").asString())
				.as("field for [%s]", name)
				.isEqualTo("name");
		}
		// a control character is refused before any rule sees it (ControlCharactersTests)
		Response nul = add(roomy, "\u0000.com");
		softly.assertThat(nul.status()).as("status for a NUL").isEqualTo(400);
		softly.assertThat(nul.code()).as("code for a NUL").isEqualTo("invalid_characters");
		for (Object body : List.<Object>of(Map.of(), "{\"name\":null}")) {
			Response response = api.bearer(roomy.apiKey(), "POST", "/api/v1/domains", body);
			softly.assertThat(response.status()).as("status for %s", body).isEqualTo(422);
			softly.assertThat(response.code()).as("code for %s", body).isEqualTo("validation_failed");
		}
		softly.assertAll();
		assertThat(names(roomy)).isEqualTo(before);
	}

	@Test
	void aNameIsClaimedOncePerOrganizationAndAPendingClaimBlocksNoOtherOrganization() {
		String name = unique("dup");
		assertThat(add(roomy, name).status()).isEqualTo(201);

		Response again = add(roomy, name.toUpperCase());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("domain_taken");

		// a pending claim must not lock the real owner out (DomainClaimTests)
		Response elsewhere = add(neighbour, name);
		assertThat(elsewhere.status()).isEqualTo(201);
		assertThat(elsewhere.text("status")).isEqualTo("pending");
		assertThat(names(neighbour)).containsOnlyOnce(name);
		assertThat(names(roomy)).containsOnlyOnce(name);
	}

	@Test
	void keepsOneClaimPerOrganizationUnderConcurrentAddsFromTwoOrganizations() throws Exception {
		String name = unique("race");
		List<Response> responses = concurrently(10, i -> add(i % 2 == 0 ? roomy : neighbour, name));

		assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(2);
		assertThat(responses).filteredOn(r -> r.status() != 201)
			.hasSize(8)
			.allSatisfy(r -> {
				assertThat(r.status()).isEqualTo(409);
				assertThat(r.code()).isEqualTo("domain_taken");
			});
		assertThat(names(roomy)).containsOnlyOnce(name);
		assertThat(names(neighbour)).containsOnlyOnce(name);
	}

	@Test
	void refusesDomainsBeyondThePlanLimit() {
		Tenant tenant = api.newTenant("starter");
		Response patched = api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("domains", 1)));
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.json().get("limits").get("domains").asInt()).isEqualTo(1);

		Response first = add(tenant, unique("limit"));
		assertThat(first.status()).isEqualTo(201);
		String secondName = unique("limit");
		Response second = add(tenant, secondName);
		assertThat(second.status()).isEqualTo(409);
		assertThat(second.code()).isEqualTo("plan_limit_reached");
		assertThat(names(tenant)).containsExactly(first.text("name"));

		assertThat(delete(tenant, first.text("id")).status()).isEqualTo(204);
		assertThat(add(tenant, secondName).status()).as("deleting frees the slot").isEqualTo(201);
	}

	@Test
	void keepsTheDomainLimitUnderConcurrentAdds() throws Exception {
		Tenant tenant = api.newTenant("starter");
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("domains", 3))).status()).isEqualTo(200);

		List<Response> responses = concurrently(10, i -> add(tenant, unique("burst" + i)));

		assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(3);
		assertThat(responses).filteredOn(r -> r.status() != 201)
			.hasSize(7)
			.allSatisfy(r -> {
				assertThat(r.status()).isEqualTo(409);
				assertThat(r.code()).isEqualTo("plan_limit_reached");
			});
		assertThat(names(tenant)).hasSize(3);
	}

	@Test
	void operatorMarksADomainVerifiedWithoutDns() {
		Response added = add(roomy, unique("operator"));
		String id = added.text("id");
		long asked = dns.queriesFor(added.json().get("verification").get("name").asString());

		Response withTenantKey = api.bearer(roomy.apiKey(), "POST", "/api/v1/operator/domains/" + id + "/mark-verified",
				null);
		assertThat(withTenantKey.status()).isEqualTo(401);
		assertThat(status(roomy, id)).isEqualTo("pending");

		Response marked = api.operator("POST", "/api/v1/operator/domains/" + id + "/mark-verified", null);
		assertThat(marked.status()).isEqualTo(200);
		assertThat(marked.text("status")).isEqualTo("active");
		assertThat(marked.text("id")).isEqualTo(id);
		assertThat(status(roomy, id)).isEqualTo("active");
		assertThat(dns.queriesFor(added.json().get("verification").get("name").asString())).isEqualTo(asked);

		Response unknown = api.operator("POST", "/api/v1/operator/domains/" + UUID.randomUUID() + "/mark-verified", null);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.code()).isEqualTo("not_found");
	}

	@Test
	void deletedDomainIsGoneAndItsNameFreeAgain() {
		String name = unique("delete");
		String id = add(roomy, name).text("id");

		Response deleted = delete(roomy, id);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(deleted.raw().body()).isEmpty();

		Response get = api.bearer(roomy.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(get.status()).isEqualTo(404);
		assertThat(get.code()).isEqualTo("not_found");
		assertThat(delete(roomy, id).status()).isEqualTo(404);
		assertThat(verify(roomy, id).status()).isEqualTo(404);
		assertThat(names(roomy)).doesNotContain(name);

		assertThat(add(neighbour, name).status()).isEqualTo(201);
	}

	@Test
	void pagesThroughDomainsWithACursor() {
		Tenant tenant = api.newTenant("starter");
		List<String> created = IntStream.range(0, 3).mapToObj(i -> add(tenant, unique("page" + i)).text("id")).toList();

		Response all = list(tenant, "");
		assertThat(all.json().get("next_cursor").isNull()).isTrue();
		List<String> allIds = ids(all);
		assertThat(allIds).containsExactlyInAnyOrderElementsOf(created);

		List<String> paged = new ArrayList<>();
		Response page = list(tenant, "?limit=1");
		int pages = 1;
		while (true) {
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.json().get("items").size()).isEqualTo(1);
			paged.addAll(ids(page));
			if (page.json().get("next_cursor").isNull()) {
				break;
			}
			assertThat(pages).as("pagination ends").isLessThan(3);
			page = list(tenant, "?limit=1&cursor=" + page.json().get("next_cursor").asString());
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(paged).isEqualTo(allIds);

		Response firstTwo = list(tenant, "?limit=2");
		assertThat(ids(firstTwo)).isEqualTo(allIds.subList(0, 2));
		Response rest = list(tenant, "?limit=2&cursor=" + firstTwo.json().get("next_cursor").asString());
		assertThat(ids(rest)).isEqualTo(allIds.subList(2, 3));
		assertThat(rest.json().get("next_cursor").isNull()).isTrue();
	}

	@Test
	void filtersByStatus() {
		Tenant tenant = api.newTenant("starter");
		String pending = add(tenant, unique("filter")).text("id");
		String active = add(tenant, unique("filter")).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + active + "/mark-verified", null);

		assertThat(ids(list(tenant, "?status=active"))).containsExactly(active);
		assertThat(ids(list(tenant, "?status=pending"))).containsExactly(pending);
		Response bogus = list(tenant, "?status=bogus");
		assertThat(bogus.status()).isEqualTo(422);
		assertThat(bogus.code()).isNotBlank();
	}

	@Test
	void refusesBadPageParameters() {
		SoftAssertions softly = new SoftAssertions();
		for (String query : List.of("?limit=0", "?limit=500", "?limit=201", "?limit=-1")) {
			Response response = list(roomy, query);
			softly.assertThat(response.status()).as(query).isEqualTo(422);
			softly.assertThat(response.code()).as(query).isEqualTo("invalid_limit");
		}
		softly.assertThat(list(roomy, "?limit=200").status()).isEqualTo(200);
		softly.assertThat(list(roomy, "?limit=1").status()).isEqualTo(200);
		Response notANumber = list(roomy, "?limit=ten");
		softly.assertThat(notANumber.status()).isEqualTo(400);
		softly.assertThat(notANumber.code()).isNotBlank();
		for (String cursor : List.of("***", "not-a-cursor", "bm90fGF8Y3Vyc29y", "%27%20or%201%3D1%20--")) {
			Response response = list(roomy, "?cursor=" + cursor);
			softly.assertThat(response.status()).as("cursor %s", cursor).isEqualTo(400);
			softly.assertThat(response.code()).as("cursor %s", cursor).isEqualTo("invalid_cursor");
		}
		softly.assertAll();
	}

	private Tenant tenantWithDomainLimit(int limit) {
		Tenant tenant = api.newTenant("starter");
		Response patched = api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("domains", limit)));
		assertThat(patched.status()).isEqualTo(200);
		return tenant;
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID() + ".example";
	}

	private Response add(Tenant tenant, String name) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", name));
	}

	private Response verify(Tenant tenant, String id) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/domains/" + id + "/verify", null);
	}

	private Response delete(Tenant tenant, String id) {
		return api.bearer(tenant.apiKey(), "DELETE", "/api/v1/domains/" + id, null);
	}

	private Response list(Tenant tenant, String query) {
		return api.bearer(tenant.apiKey(), "GET", "/api/v1/domains" + query, null);
	}

	private String status(Tenant tenant, String id) {
		Response response = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(response.status()).isEqualTo(200);
		return response.text("status");
	}

	/** Every domain name of the tenant, in list order, following cursors. */
	private List<String> names(Tenant tenant) {
		List<String> names = new ArrayList<>();
		String query = "?limit=200";
		while (true) {
			Response page = list(tenant, query);
			assertThat(page.status()).isEqualTo(200);
			page.json().get("items").forEach(item -> names.add(item.get("name").asString()));
			JsonNode next = page.json().get("next_cursor");
			if (next.isNull()) {
				return names;
			}
			query = "?limit=200&cursor=" + next.asString();
		}
	}

	private static List<String> ids(Response page) {
		List<String> ids = new ArrayList<>();
		page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
		return ids;
	}

	/** Runs {@code n} calls at once (released together) and returns their responses. */
	private static List<Response> concurrently(int n, java.util.function.IntFunction<Response> call) throws Exception {
		CountDownLatch ready = new CountDownLatch(n);
		CountDownLatch go = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
			List<Future<Response>> futures = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int index = i;
				futures.add(pool.submit(() -> {
					ready.countDown();
					go.await();
					return call.apply(index);
				}));
			}
			ready.await();
			go.countDown();
			List<Response> responses = new ArrayList<>();
			for (Future<Response> future : futures) {
				responses.add(future.get());
			}
			return responses;
		}
	}
}
