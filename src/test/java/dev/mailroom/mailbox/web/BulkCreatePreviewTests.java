package dev.mailroom.mailbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A bulk-create preview keeps the file's passwords out of the session table. */
@MailroomTest
class BulkCreatePreviewTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aPreviewKeepsNoPlaintextPasswordInTheSessionTableAndTheCreateStillUsesThem() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		String domain = api.activeDomain(tenant, "bulkseal");
		String domainId = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").get(0)
			.get("id").asString();
		String secret = "Quiet-Harbor-7-" + System.nanoTime();
		WebSession browser = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);

		var preview = browser.postFile("/mailboxes/bulk", Map.of("domain_id", domainId), "file", "team.csv",
				("local_part,password\nsealed," + secret + "\ngenerated,\n").getBytes(StandardCharsets.UTF_8),
				"/mailboxes/bulk");
		assertThat(preview.statusCode()).isEqualTo(200);
		assertThat(preview.body()).doesNotContain(secret);
		Document page = Jsoup.parse(preview.body());
		String key = page.select("#create-batch input[name=key]").attr("value");
		String seal = page.select("#create-batch input[name=preview_secret]").attr("value");
		assertThat(page.select(".row-errors")).as("the preview has no problems").isEmpty();
		assertThat(key).isNotBlank();
		assertThat(seal).isNotBlank();

		List<byte[]> stored = jdbc.sql("select attribute_bytes from mailroom.spring_session_attributes")
			.query((rs, n) -> rs.getBytes(1))
			.list();
		assertThat(stored).isNotEmpty();
		byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
		assertThat(stored).as("no session attribute holds the password").noneMatch(bytes -> contains(bytes, needle));
		assertThat(stored).as("nor the key to it").noneMatch(bytes -> contains(bytes, seal.getBytes(StandardCharsets.UTF_8)));

		// without the form's key the preview cannot be used
		var forged = browser.post("/mailboxes/bulk/create", Map.of("key", key, "preview_secret", "AAAA"), "/mailboxes/bulk");
		assertThat(forged.body()).doesNotContain("sealed@" + domain + "</");
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "sealed@" + domain, secret, null).status()).isEqualTo(401);

		var again = browser.postFile("/mailboxes/bulk", Map.of("domain_id", domainId), "file", "team.csv",
				("local_part,password\nsealed," + secret + "\ngenerated,\n").getBytes(StandardCharsets.UTF_8),
				"/mailboxes/bulk");
		assertThat(again.statusCode()).isEqualTo(200);
		Document second = Jsoup.parse(again.body());
		var created = browser.post("/mailboxes/bulk/create",
				Map.of("key", second.select("#create-batch input[name=key]").attr("value"), "preview_secret",
						second.select("#create-batch input[name=preview_secret]").attr("value")),
				"/mailboxes/bulk");
		assertThat(created.statusCode()).as(created.headers().map() + created.body()).isEqualTo(200);
		assertThat(created.body()).contains("sealed@" + domain);
		assertThat(api.basic("GET", "/api/v1/me/mailboxes", "sealed@" + domain, secret, null).status())
			.as("the mailbox got the password from the file").isEqualTo(200);
	}

	static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}
}
