package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Emailed sign-in links live 15 minutes; their rows are forgotten a day after they were sent. */
@MailroomTest
class SignInLinkPurgeTests {

	@LocalServerPort
	int port;

	@Autowired
	SignInLinks links;

	@Autowired
	JdbcClient jdbc;

	@Test
	void linksOlderThanADayAreForgottenAndNewerOnesKept() {
		TestApi.Tenant tenant = new TestApi(port).newTenant("free");
		UUID old = links.create(tenant.ownerId());
		UUID fresh = links.create(tenant.ownerId());
		jdbc.sql("update mailroom.sign_in_links set created_at = now() - interval '25 hours' where id = :id")
			.param("id", old)
			.update();

		assertThat(links.purge()).isGreaterThanOrEqualTo(1);
		assertThat(links.find(old)).isEmpty();
		assertThat(links.find(fresh)).isPresent();
	}
}
