package dev.mailroom.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MailboxCsvTests {

	private static MailboxCsv.Result parse(String text) {
		return MailboxCsv.parse(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void readsAllThreeColumnsWithAnOptionalHeader() {
		var result = parse("local_part,password,storage_mb\nalice,Secret-pass-12,500\nbob\n\"carol\",,250\n");
		assertThat(result.problems()).isEmpty();
		assertThat(result.rows()).containsExactly(new MailboxCsv.Row(2, "alice", "Secret-pass-12", 500),
				new MailboxCsv.Row(3, "bob", null, null), new MailboxCsv.Row(4, "carol", null, 250));
	}

	@Test
	void toleratesBomCrlfBlankLinesAndSpaces() {
		var result = parse("\uFEFFalice , , 10\r\n\r\n  bob\r\n");
		assertThat(result.problems()).isEmpty();
		assertThat(result.rows()).extracting(MailboxCsv.Row::localPart).containsExactly("alice", "bob");
		assertThat(result.rows().getFirst().storageMb()).isEqualTo(10);
		assertThat(result.rows().get(1).line()).isEqualTo(3);
	}

	@Test
	void reportsBadRowsWithTheirLineNumbers() {
		var result = parse("alice,pw,abc\nbob,a,b,c,d\n,pw\ncarol\n");
		assertThat(result.rows()).extracting(MailboxCsv.Row::localPart).containsExactly("carol");
		assertThat(result.problems()).extracting(MailboxCsv.Problem::line).containsExactly(1, 2, 3);
		assertThat(result.problems().get(0).message()).contains("whole number");
		assertThat(result.problems().get(1).message()).contains("Too many columns");
		assertThat(result.ok()).isFalse();
	}

	@Test
	void refusesNonUtf8TooLargeTooManyRowsAndBrokenQuotes() {
		byte[] latin1 = "josé,,10\n".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(MailboxCsv.parse(latin1).problems().getFirst().message()).contains("UTF-8");
		assertThat(MailboxCsv.parse(new byte[MailboxCsv.MAX_BYTES + 1]).problems().getFirst().message()).contains("1 MB");
		assertThat(parse("user\n".repeat(10_000)).problems().getFirst().message()).contains("more than 100");
		assertThat(parse("\"unclosed,pw\nnext\n").ok()).isFalse();
		assertThat(parse("").problems().getFirst().message()).contains("empty");
		assertThat(parse("\n\n").problems().getFirst().message()).contains("no mailboxes");
	}
}
