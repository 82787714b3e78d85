package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The one name rule: what it refuses, with which code, and what it keeps. */
class NamesTests {

	/** Controls (C0, DEL, C1), bidirectional embeddings, overrides, isolates and marks, line separators. */
	static final List<String> REFUSED = List.of("invoice\u202Egnp.exe", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db",
			"a\u2066b", "a\u2067b", "a\u2068b", "a\u2069b", "a\u200Eb", "a\u200Fb", "a\u061Cb", "a\u2028b", "a\u2029b",
			"a\u0000b", "a\u0001b", "a\u007Fb", "a\u0085b", "a\u009Fb", "a\tb", "a\nb", "a\r\nb");

	@Test
	void refusesControlsBidiControlsAndLineSeparators() {
		for (String name : REFUSED) {
			assertThatThrownBy(() -> Names.require("name", name, 200)).as(name)
				.isInstanceOfSatisfying(MailroomException.class, e -> {
					assertThat(e.code()).isEqualTo("invalid_name");
					assertThat(e.status().value()).isEqualTo(422);
					assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("name"));
				});
			assertThat(Names.check("display_name", name, 200)).as(name)
				.hasValueSatisfying(error -> assertThat(error.code()).isEqualTo("invalid_name"));
		}
	}

	@Test
	void keepsNamesInAnyScriptStrippedOfSurroundingSpace() {
		for (String name : List.of("Zoë O'Brien-Łukasz", "山田 太郎", "محمد علي", "Ελένη", "Support 😀", "a".repeat(200))) {
			assertThat(Names.require("name", "  " + name + " ", 200)).isEqualTo(name);
			assertThat(Names.check("name", name, 200)).isEmpty();
		}
	}

	@Test
	void aRequiredNameMustNotBeBlankAndAnOptionalOneMayBe() {
		for (String blank : new String[] { null, "", "   " }) {
			assertThatThrownBy(() -> Names.require("name", blank, 100))
				.isInstanceOfSatisfying(MailroomException.class, e -> assertThat(e.code()).isEqualTo("required"));
			assertThat(Names.optional("display_name", blank, 200)).isNull();
			assertThat(Names.check("display_name", blank, 200)).isEmpty();
		}
	}

	@Test
	void aNameOverTheLimitIsAnInvalidName() {
		assertThatThrownBy(() -> Names.require("name", "a".repeat(101), 100))
			.isInstanceOfSatisfying(MailroomException.class, e -> {
				assertThat(e.code()).isEqualTo("invalid_name");
				assertThat(e.getMessage()).contains("100");
			});
		assertThat(Names.require("name", " " + "a".repeat(100) + " ", 100)).hasSize(100);
	}
}
