package dev.mailroom.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.junit.jupiter.api.Test;

class InviteListTests {

	@Test
	void readsPastedListsAndCsvFilesAsPeopleMakeThem() {
		var pasted = InviteList.parse("  Ann@Example.test \n\nbob@example.test\r\n", 500);
		assertThat(pasted.problems()).isEmpty();
		assertThat(pasted.rows()).extracting(InviteList.Row::email).containsExactly("Ann@Example.test", "bob@example.test");

		var csv = InviteList.parse("\uFEFFEmail,storage_mb\r\n\"carol@example.test\",250\r\ndave@example.test,,\r\n", 500);
		assertThat(csv.problems()).isEmpty();
		assertThat(csv.rows()).containsExactly(new InviteList.Row(2, "carol@example.test", 250),
				new InviteList.Row(3, "dave@example.test", null));
	}

	@Test
	void reportsEachBadLine() {
		var result = InviteList.parse("a@x.test,ten\nb@x.test,1,extra\n,5\nc@x.test\n", 500);
		assertThat(result.rows()).extracting(InviteList.Row::email).containsExactly("c@x.test");
		assertThat(result.problems()).extracting(InviteList.Problem::line).containsExactly(1, 2, 3);
	}

	@Test
	void refusesWholeFilesThatCannotBeRead() {
		assertThat(InviteList.parse("x@y.test\n".repeat(501), 500).problems().getFirst().message()).contains("more than 500");
		assertThat(InviteList.parse("é@x.test".getBytes(StandardCharsets.ISO_8859_1), 500).problems().getFirst().message())
			.contains("UTF-8");
		assertThat(InviteList.parse(new byte[InviteList.MAX_BYTES + 1], 500).problems().getFirst().message()).contains("1 MB");
		assertThat(InviteList.parse("", 500).ok()).isFalse();
	}

	/** Whatever the bytes, the reader answers rows or problems — never an exception. */
	@FuzzTest(maxDuration = "10s")
	void neverThrows(byte @NotNull [] bytes) {
		var result = InviteList.parse(bytes, 500);
		assertThat(result.rows().size() + result.problems().size()).isPositive();
		assertThat(result.rows()).allSatisfy(row -> assertThat(row.email()).isNotBlank());
		assertThat(result.rows().size()).isLessThanOrEqualTo(500);
	}
}
