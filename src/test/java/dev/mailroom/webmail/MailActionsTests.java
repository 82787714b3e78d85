package dev.mailroom.webmail;

import dev.mailroom.platform.MailroomException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder names a person may give, checked before anything reaches the mail server. */
class MailActionsTests {

	@Test
	void keepsAFolderNameAndStripsItsEdges() {
		assertThat(MailActions.validName("  Projects ")).isEqualTo("Projects");
		assertThat(MailActions.validName("Clients/2026")).isEqualTo("Clients/2026");
		assertThat(MailActions.validName("Reçus")).isEqualTo("Reçus");
		assertThat(MailActions.validName("x".repeat(100))).hasSize(100);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "a*b", "50%", "/top", "bottom/", "a//b", "tab\there", "INBOX", "inbox", "InBox" })
	void refusesNamesThatAreEmptyWildcardsSeparatorsControlsOrTheInbox(String name) {
		assertThatThrownBy(() -> MailActions.validName(name)).isInstanceOfSatisfying(MailroomException.class,
				e -> assertThat(e.code()).isEqualTo("invalid_folder_name"));
	}

	@Test
	void refusesNamesOverOneHundredCharactersAndNone() {
		assertThatThrownBy(() -> MailActions.validName("x".repeat(101))).isInstanceOf(MailroomException.class);
		assertThatThrownBy(() -> MailActions.validName(null)).isInstanceOf(MailroomException.class);
	}
}
