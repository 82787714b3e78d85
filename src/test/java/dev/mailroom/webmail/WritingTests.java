package dev.mailroom.webmail;

import dev.mailroom.platform.MailroomException;
import dev.mailroom.webmail.WebmailViews.Draft;
import jakarta.mail.internet.InternetAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of writing that need no mail server: recipients as typed, a draft's HTML, quoting. */
class WritingTests {

	@Test
	void recipientsAreSplitOnCommasAndSemicolonsOutsideQuotesAndEachIsChecked() {
		InternetAddress[] to = Recipients.addresses("to", "a@example.com; \"Doe, Jane\" <jane@example.org>,, b@example.net ");
		assertThat(to).extracting(InternetAddress::getAddress).containsExactly("a@example.com", "jane@example.org",
				"b@example.net");
		assertThat(to[1].getPersonal()).isEqualTo("Doe, Jane");
		assertThat(Recipients.addresses("cc", "  ")).isEmpty();
		for (String bad : new String[] { "not an address", "someone@", "someone@localhost", "a@b.c, <broken" }) {
			assertThatThrownBy(() -> Recipients.addresses("to", bad)).as(bad)
				.isInstanceOfSatisfying(MailroomException.class, e -> {
					assertThat(e.code()).isEqualTo("invalid_address");
					assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("to"));
				});
		}
	}

	@Test
	void aDraftsHtmlKeepsFormattingAndLinksAndNothingThatRunsOrLoads() {
		Draft draft = new Draft("", "", "", "", "x", """
				<p onclick="steal()"><b>Bold</b> <a href="javascript:alert(1)">bad</a> <a href="https://example.com">good</a></p>
				<script>alert(1)</script><img src="https://tracker.example/p.png"><iframe src="https://x"></iframe>
				<ul><li>item</li></ul>""", null, null, null, null, null);
		assertThat(draft.html()).contains("<b>Bold</b>", "<li>item</li>", "href=\"https://example.com\"")
			.doesNotContain("onclick", "script", "javascript:", "<img", "iframe", "tracker");
		assertThat(new Draft("", "", "", "", "x", "  ", null, null, null, null, null).html()).isNull();
		assertThat(new Draft(null, null, null, null, "a\r\nb", null, null, null, null, null, null).text()).isEqualTo("a\nb");
	}

	@Test
	void aReplyQuotesEveryLineAndHtmlBecomesReadableText() {
		assertThat(Replies.quote("Hello\n\n> earlier\nBye")).isEqualTo("> Hello\n> \n>> earlier\n> Bye\n");
		assertThat(Replies.htmlToText("<html><head><style>p{}</style></head><body><p>One</p><p>Two<br>Three</p>"
				+ "<script>x()</script></body></html>")).isEqualTo("One\nTwo\nThree");
	}
}
