package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files are 0600 from the first byte, written whole, and created once. */
class SecretFilesTests {

	@TempDir
	Path dir;

	@Test
	void aNewSecretIsOwnerOnlyAndReusedAfter() throws Exception {
		Path file = dir.resolve("secret");
		String value = SecretFiles.readOrCreate(file, () -> "first-value");
		assertThat(value).isEqualTo("first-value");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(SecretFiles.readOrCreate(file, () -> "second-value")).isEqualTo("first-value");
		try (var left = Files.list(dir)) {
			assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file is left").containsExactly("secret");
		}
	}

	@Test
	void anExistingSecretReadableByOthersIsNarrowed() throws Exception {
		Path file = dir.resolve("operator-token");
		Files.writeString(file, "old-token\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		assertThat(SecretFiles.readOrCreate(file, () -> "new")).isEqualTo("old-token");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void aRewriteReplacesTheWholeFileAtOnceOwnerOnly() throws Exception {
		Path file = dir.resolve("pg_hba.conf");
		Files.writeString(file, "host all all 0.0.0.0/0 trust\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		SecretFiles.write(file, "local all all scram-sha-256\n");
		assertThat(Files.readString(file)).isEqualTo("local all all scram-sha-256\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void racingStartsAgreeOnOneValue() throws Exception {
		Path file = dir.resolve("shared-secret");
		Set<String> seen = ConcurrentHashMap.newKeySet();
		AtomicInteger counter = new AtomicInteger();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					go.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				seen.add(SecretFiles.readOrCreate(file, () -> "value-" + counter.incrementAndGet()));
			}));
		}
		go.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(seen).hasSize(1);
		assertThat(Files.readString(file)).isEqualTo(seen.iterator().next());
	}
}
