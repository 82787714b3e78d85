package dev.mailroom.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.MailroomSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Without a relay an account email (no organization) is kept in the outbox, where the dev mail
 * viewer shows it to nobody: its link goes to the console log, one line, for the operator, as do
 * an organization's messages (an ownership invitation's recipient is not in the organization yet).
 * With a relay no link is logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevViewerLogTests {

	/**
	 * The transport's log lines, caught at the logger itself: the JVM's logging is shared with the
	 * applications other tests start and stop (their --logging.level.root=warn, the console
	 * appender they configure, the filter Spring Boot holds while it sets logging up), so what
	 * reaches the console here depends on which tests ran before.
	 */
	private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
			new ch.qos.logback.core.read.ListAppender<>();

	private ch.qos.logback.classic.Level level;

	private List<ch.qos.logback.classic.turbo.TurboFilter> turboFilters;

	private ch.qos.logback.classic.Logger logger() {
		return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(MailTransport.class);
	}

	@BeforeEach
	void catchLines() {
		ch.qos.logback.classic.Logger logger = logger();
		turboFilters = List.copyOf(logger.getLoggerContext().getTurboFilterList());
		logger.getLoggerContext().resetTurboFilterList();
		level = logger.getLevel();
		logger.setLevel(ch.qos.logback.classic.Level.INFO);
		lines.start();
		logger.addAppender(lines);
	}

	@AfterEach
	void release() {
		ch.qos.logback.classic.Logger logger = logger();
		logger.detachAppender(lines);
		logger.setLevel(level);
		turboFilters.forEach(logger.getLoggerContext()::addTurboFilter);
	}

	private List<String> logged() {
		return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
	}

	static MailroomSettings settings(MailroomSettings.Smtp smtp) {
		return new MailroomSettings(Path.of("unused"), null, null, null, false, 30, null,
				"Mailroom <no-reply@mailroom.test>", 0, false, null, null, smtp, null);
	}

	static MailTransport.Outgoing outgoing(UUID orgId, String link) {
		return new MailTransport.Outgoing(UUID.randomUUID(), orgId, "new-person@example.test",
				new EmailMessage("Confirm your email address", "Open this link:\n" + link + ".\n", "<p>html</p>"));
	}

	@Test
	void logsTheLinkOfAnAccountEmailKeptWithoutARelay(CapturedOutput output) {
		MailTransport transport = MailTransport.from(settings(null));
		assertThat(transport.name()).isEqualTo("dev-viewer");
		String link = "http://localhost:8080/verify-email?token=abc_DEF-" + UUID.randomUUID();
		assertThat(transport.sendAll(List.of(outgoing(null, link)))).isEmpty();

		assertThat(logged().stream().filter(l -> l.contains(link)).toList()).singleElement()
			.satisfies(line -> assertThat(line).contains("INFO")
				.contains("new-person@example.test")
				.contains("Confirm your email address")
				.contains("link " + link)
				.doesNotContain(link + "."));
	}

	@Test
	void logsAnOrganizationsMessageTooAndSaysWhenThereIsNoLink(CapturedOutput output) {
		String link = "http://localhost:8080/ownership/" + UUID.randomUUID();
		MailTransport transport = MailTransport.from(settings(new MailroomSettings.Smtp("", 25, null, null, false)));
		transport.sendAll(List.of(outgoing(UUID.randomUUID(), link)));
		assertThat(logged()).anySatisfy(line -> assertThat(line).contains("link " + link));
		transport.sendAll(List.of(new MailTransport.Outgoing(UUID.randomUUID(), null, "plain-" + link.hashCode() + "@example.test",
				new EmailMessage("This email already has an account", "Sign in instead.", null))));
		assertThat(logged().stream().filter(l -> l.contains("plain-" + link.hashCode())).toList()).singleElement()
			.satisfies(line -> assertThat(line).contains("no link"));
	}

	@Test
	void aRelayLogsNoLink(CapturedOutput output) {
		String link = "http://localhost:8080/verify-email/" + UUID.randomUUID();
		// nothing listens on port 9: the send fails, and neither the attempt nor the failure logs the link
		MailTransport.from(settings(new MailroomSettings.Smtp("127.0.0.1", 9, null, null, false)))
			.sendAll(List.of(outgoing(null, link)));
		assertThat(output.getAll()).doesNotContain(link);
		assertThat(logged()).noneSatisfy(line -> assertThat(line).contains(link));
	}
}
