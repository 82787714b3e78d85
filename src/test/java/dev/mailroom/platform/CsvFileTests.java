package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Broken quotes are told as the line and what to fix, never as the parser's exception. */
class CsvFileTests {

	@Test
	void anUnclosedQuoteNamesTheLineWhereTheFieldStarts() {
		String problem = read("alice,,500\nbob,,500\n\"carol,,500\ndave,,500\n").problem();
		assertThat(problem).isEqualTo("Line 3: a quoted field is not closed (a closing \" is missing)");
	}

	@Test
	void textAfterAClosingQuoteNamesItsLine() {
		String problem = read("alice,,500\n\n\"bob\"x,,500\n").problem();
		assertThat(problem).startsWith("Line 3: a quoted field has text after its closing quote");
	}

	@Test
	void noProblemShowsTheParsersOwnWords() {
		for (String csv : new String[] { "\"", "a,\"b", "\"a\"b", "a\r\n\r\n\"b\r\n", "x,y\n\"\"\"\n", "\"a\"\"" }) {
			String problem = read(csv).problem();
			assertThat(problem).as(csv)
				.startsWith("Line ")
				.doesNotContain("org.apache", "Exception", "encapsulated", "EOF", "startline");
		}
	}

	@Test
	void aControlCharacterNamesItsLine() {
		assertThat(read("alice,,500\r\nbob,,500\r\nca\u0000rol,,500\r\n").problem())
			.startsWith("Line 3: a control character (such as NUL) is not text");
		assertThat(read("alice\t,,500\n").problem()).as("a tab is white space").isNull();
	}

	@Test
	void wellFormedQuotesAreRead() {
		CsvFile.Result result = read("\"a\"\"b\",c\n\"d\" ,e\n");
		assertThat(result.problem()).isNull();
		assertThat(result.rows()).extracting(CsvFile.Row::cells)
			.containsExactly(java.util.List.of("a\"b", "c"), java.util.List.of("d", "e"));
	}

	private static CsvFile.Result read(String csv) {
		return CsvFile.read(csv.getBytes(StandardCharsets.UTF_8), 1024 * 1024, 100, row -> false);
	}
}
