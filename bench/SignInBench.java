import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Password sign-ins (HTTP Basic, the right password, one client address) under the sign-in
 * limits, next to two baselines measured in the same run: the same request with an API key (no
 * password, no limits) and one Argon2id verify alone (the hash Mailroom checks). Basic minus the
 * key request minus the verify is what the limits and the sign-in bookkeeping cost. Every answer
 * must be 200: the right password never uses up the limits, however many times it is given.
 * Run with bench/run SignInBench [requests] [clients].
 */
public class SignInBench {

	public static void main(String[] args) throws Exception {
		run(args);
		System.exit(0);
	}

	static void run(String[] args) throws Exception {
		int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		int clients = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		try (ConfigurableApplicationContext app = BenchSupport.start()) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			String basic = "Basic " + Base64.getEncoder()
				.encodeToString((tenant.ownerEmail() + ":" + BenchSupport.PASSWORD).getBytes());
			// warm-up of both paths
			measure(tenant.base(), basic, 10, 1);
			measure(tenant.base(), tenant.key(), 10, 1);

			long[] key = measure(tenant.base(), tenant.key(), count, clients);
			long[] password = measure(tenant.base(), basic, count, clients);
			Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
			String hash = argon2.encode(BenchSupport.PASSWORD);
			long[] verify = new long[Math.min(count, 60)];
			for (int i = 0; i < 5; i++) {
				argon2.matches(BenchSupport.PASSWORD, hash);
			}
			for (int i = 0; i < verify.length; i++) {
				long start = System.nanoTime();
				argon2.matches(BenchSupport.PASSWORD, hash);
				verify[i] = System.nanoTime() - start;
			}
			System.out.printf("%d requests, %d concurrent clients, one client address%n", count, clients);
			BenchSupport.report("baseline: GET /api/v1/me/mailboxes with an API key", key);
			BenchSupport.report("baseline: one Argon2id verify (in process, 1 thread)", verify);
			BenchSupport.report("GET /api/v1/me/mailboxes with Basic (right password)", password);
			System.out.printf("sign-in cost beyond key request + verify, p50: %.1f ms; every answer 200 (none limited)%n",
					(BenchSupport.p(password, 50) - BenchSupport.p(key, 50) - BenchSupport.p(verify, 50)) / 1e6);
		}
	}

	/** Per-request latencies; throws if any answer is not 200 (a right password is never limited). */
	static long[] measure(String base, String authorization, int count, int clients) throws Exception {
		long[] nanos = new long[count];
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int n = i;
				done.add(pool.submit(() -> {
					HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/me/mailboxes"))
						.header("Authorization", authorization)
						.GET()
						.build();
					long start = System.nanoTime();
					HttpResponse<String> response = BenchSupport.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
					nanos[n] = System.nanoTime() - start;
					if (response.statusCode() != 200) {
						throw new IllegalStateException("request " + n + " → " + response.statusCode() + " " + response.body());
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
		return nanos;
	}
}
