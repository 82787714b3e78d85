
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Hashes per second of the password scheme Mailroom stores (Argon2id 19 MiB, t=2, p=1, the
 * OWASP minimum Dovecot also verifies), next to bcrypt cost 10 for comparison. Single thread,
 * after a warm-up. Run with bench/run PasswordHashBench.
 */
public class PasswordHashBench {

	public static void main(String[] args) {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
		Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
		BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(10);
		measure("argon2id m=19MiB t=2 p=1 (Mailroom)", rounds, () -> argon2.encode("correct horse battery staple"));
		String hash = argon2.encode("correct horse battery staple");
		measure("argon2id verify", rounds, () -> argon2.matches("correct horse battery staple", hash));
		measure("bcrypt cost 10 (comparison)", rounds, () -> bcrypt.encode("correct horse battery staple"));
	}

	private static void measure(String name, int rounds, Runnable work) {
		for (int i = 0; i < 5; i++) {
			work.run();
		}
		long[] nanos = new long[rounds];
		for (int i = 0; i < rounds; i++) {
			long start = System.nanoTime();
			work.run();
			nanos[i] = System.nanoTime() - start;
		}
		java.util.Arrays.sort(nanos);
		double total = java.util.Arrays.stream(nanos).sum() / 1e9;
		System.out.printf("%-40s %6.1f hashes/s  p50 %5.1f ms  p95 %5.1f ms  (%d rounds, 1 thread)%n", name,
				rounds / total, nanos[rounds / 2] / 1e6, nanos[(int) (rounds * 0.95)] / 1e6, rounds);
	}

}
