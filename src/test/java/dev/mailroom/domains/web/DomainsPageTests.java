package dev.mailroom.domains.web;

import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Domains page shows each domain's id (issue 30, item 5): the README's first tour makes a
 * domain active with the operator's mark-verified call, which needs it.
 */
@MailroomTest
class DomainsPageTests {

	@LocalServerPort
	int port;

	@Test
	void eachDomainShowsItsId() {
		TestApi api = new TestApi(port);
		var tenant = api.newTenant("pro");
		String name = "ids-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String id = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", name)).text("id");
		WebSession owner = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		var page = Jsoup.parse(owner.get("/domains").body());
		assertThat(page.select("#domain-" + id + " .domain-id").text()).isEqualTo(id);
		// the id the page shows is the one the operator's call takes
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + id + "/mark-verified", null).status()).isEqualTo(200);
	}
}
