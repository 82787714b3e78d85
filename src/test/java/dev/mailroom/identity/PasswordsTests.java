package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mailroom.Race;
import dev.mailroom.platform.MailroomException;
import org.junit.jupiter.api.Test;

/** Argon2 runs in a bounded number of slots: a flood queues, then is told to come back. */
class PasswordsTests {

	@Test
	void noMoreHashesRunAtOnceThanThereAreSlots() throws Exception {
		Passwords passwords = new Passwords(2, Duration.ofSeconds(30));
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		Race.of(8, i -> passwords.bounded(() -> {
			most.accumulateAndGet(running.incrementAndGet(), Math::max);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			running.decrementAndGet();
			return 0;
		}));
		assertThat(most.get()).isBetween(1, 2);
	}

	@Test
	void aHashThatFindsNoSlotInTimeIsRefusedAsBusy() throws Exception {
		Passwords passwords = new Passwords(1, Duration.ofMillis(20));
		List<Integer> outcomes = Race.of(4, i -> {
			try {
				return passwords.bounded(() -> {
					try {
						Thread.sleep(500);
					}
					catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
					return 200;
				});
			}
			catch (MailroomException e) {
				assertThat(e.code()).isEqualTo("server_busy");
				assertThat(e.properties()).containsKey("retry_after_seconds");
				return e.status().value();
			}
		});
		assertThat(outcomes).contains(503);
		assertThat(outcomes).filteredOn(s -> s == 200).hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void hashingAndCheckingGoThroughTheSlots() {
		Passwords full = new Passwords(0, Duration.ofMillis(1));
		assertThatThrownBy(() -> full.hash("Correct-horse-battery-9")).isInstanceOf(MailroomException.class)
			.extracting(e -> ((MailroomException) e).code())
			.isEqualTo("server_busy");
		assertThatThrownBy(() -> full.matches("x", null)).isInstanceOf(MailroomException.class);
		Passwords open = new Passwords(1, Duration.ofSeconds(5));
		assertThat(open.matches("Correct-horse-battery-9", open.hash("Correct-horse-battery-9"))).isTrue();
	}
}
