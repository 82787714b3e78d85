package dev.mailroom.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.WebSession;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A CSV with a broken quote uploaded to the bulk pages (invites, mailboxes) shows the line and
 * what is wrong, never the parser's exception.
 */
@MailroomTest
class BrokenCsvUploadTests {

	private static final byte[] UNCLOSED = "email\nann@people.test\n\"bob@people.test\ncarol@people.test\n"
		.getBytes(StandardCharsets.UTF_8);

	@LocalServerPort
	int port;

	@Test
	void theBulkInvitePageNamesTheLineOfAnUnclosedQuote() {
		WebSession browser = signedIn();
		HttpResponse<String> posted = browser.postFile("/mailboxes/invites/bulk/preview", Map.of(), "file", "people.csv",
				UNCLOSED, "/mailboxes/invites/bulk");
		assertThat(posted.statusCode()).isEqualTo(302);
		HttpResponse<String> page = browser.get("/mailboxes/invites/bulk");
		assertThat(page.statusCode()).isEqualTo(200);
		assertShowsTheLineOnly(Jsoup.parse(page.body()).text());
	}

	@Test
	void theBulkMailboxPageNamesTheLineOfAnUnclosedQuote() {
		WebSession browser = signedIn();
		HttpResponse<String> page = browser.postFile("/mailboxes/bulk", Map.of(), "file", "team.csv",
				"local_part\nann\n\"bob\ncarol\n".getBytes(StandardCharsets.UTF_8), "/mailboxes/bulk");
		assertThat(page.statusCode()).isEqualTo(200);
		assertShowsTheLineOnly(Jsoup.parse(page.body()).text());
	}

	/** The control-character check reads multipart fields too; an upload over the limit stays a client error. */
	@Test
	void anUploadOverTheLimitIsNotAServerError() {
		WebSession browser = signedIn();
		HttpResponse<String> page = browser.postFile("/mailboxes/bulk", Map.of(), "file", "big.csv",
				"a,,1\n".repeat(600_000).getBytes(StandardCharsets.UTF_8), "/mailboxes/bulk");
		assertThat(page.statusCode()).as(page.body()).isBetween(400, 499);
	}

	private WebSession signedIn() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("pro");
		return WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
	}

	private static void assertShowsTheLineOnly(String text) {
		assertThat(text).contains("Line 3: a quoted field is not closed")
			.doesNotContain("org.apache", "Exception", "encapsulated token");
	}
}
