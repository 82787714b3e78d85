package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mailroom.MailroomApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 30, item 4: with a bad setting the server must exit non-zero, not print "APPLICATION FAILED
 * TO START" and keep a process alive that serves nothing (non-daemon threads started before the
 * failure). Starts the real main class in its own JVM, on this test's class path.
 */
class FailedStartTests {

	@TempDir
	Path data;

	@Test
	void aBadSettingEndsTheProcessWithAFailureWithinSeconds() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Path output = data.resolve("output.log");
		Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				MailroomApplication.class.getName(), "--server.port=0", "--mailroom.data-dir=" + data.resolve("db"),
				"--mailroom.operator-token=short"))
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			boolean exited = process.waitFor(90, TimeUnit.SECONDS);
			assertThat(exited).as("exited; output: %s", tail(output)).isTrue();
			assertThat(process.exitValue()).isNotZero();
			assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("APPLICATION FAILED TO START");
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static String tail(Path output) throws IOException {
		String text = Files.readString(output, StandardCharsets.UTF_8);
		return text.substring(Math.max(0, text.length() - 2000));
	}
}
