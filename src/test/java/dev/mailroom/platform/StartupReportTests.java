package dev.mailroom.platform;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console report at start (issue 30, item 5): the generated operator token is shown the one
 * time it is made; every later start says where it is kept, never the token itself.
 */
class StartupReportTests {

	@Test
	void theOperatorTokenIsShownOnceThenWhereItIsKept(@TempDir Path dataDir) {
		MailroomSettings settings = settings(dataDir, null);
		ServerSecrets first = new ServerSecrets(settings);
		String firstReport = new StartupReport(settings, first, new PublicUrls(settings)).report();
		assertThat(firstReport).contains(first.operatorToken()).contains("shown once");

		ServerSecrets second = new ServerSecrets(settings);
		String secondReport = new StartupReport(settings, second, new PublicUrls(settings)).report();
		assertThat(second.operatorToken()).isEqualTo(first.operatorToken());
		assertThat(secondReport).doesNotContain(first.operatorToken())
			.contains("Operator token:        kept in " + dataDir.resolve("operator-token"));
	}

	@Test
	void aConfiguredTokenIsNeverPrinted(@TempDir Path dataDir) {
		String token = "configured-operator-token-0123456789abcdef";
		MailroomSettings settings = settings(dataDir, token);
		String report = new StartupReport(settings, new ServerSecrets(settings), new PublicUrls(settings)).report();
		assertThat(report).doesNotContain(token).contains("the one set in MAILROOM_OPERATOR_TOKEN");
	}

	private static MailroomSettings settings(Path dataDir, String operatorToken) {
		return new MailroomSettings(dataDir, "http://localhost:8080", operatorToken, null, true, 7, null, null, 1048576,
				false, null, null, null, null);
	}
}
