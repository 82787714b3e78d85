import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Setup-invite redemptions per second on this machine, password hashing included: N invites are
 * sent through the API, then their links are accepted through POST /api/v1/invitations/{token}/accept
 * by C concurrent clients. Prints accepts/s and latency percentiles.
 * Run with bench/run InviteAcceptBench [invites] [clients].
 */
public class InviteAcceptBench {

	static final String PASSWORD = "Bench-invitee-pass-7";

	public static void main(String[] args) throws Exception {
		run(args);
		// a benchmark is done when it has printed: do not wait for lingering non-daemon threads
		System.exit(0);
	}

	static void run(String[] args) throws Exception {
		int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		try (ConfigurableApplicationContext app = BenchSupport.start()) {
			BenchSupport.Tenant tenant = BenchSupport.tenant(app);
			List<String> tokens = new ArrayList<>();
			for (int i = 0; i < count + 10; i++) {
				String link = BenchSupport.call(tenant.base(), "POST", "/api/v1/mailboxes/invites", tenant.key(),
						"{\"domain_id\":\"" + tenant.domainId() + "\",\"recipient_email\":\"p" + i + "@people.test\"}")
					.get("link").asString();
				tokens.add(link.substring(link.lastIndexOf('/') + 1));
			}
			for (int i = 0; i < 10; i++) {
				accept(tenant.base(), tokens.get(count + i), "warm" + i);
			}
			long[] latencies = new long[count];
			long start = System.nanoTime();
			try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
				List<Future<?>> futures = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					int index = i;
					futures.add(pool.submit(() -> {
						long t = System.nanoTime();
						accept(tenant.base(), tokens.get(index), "user" + index);
						latencies[index] = System.nanoTime() - t;
						return null;
					}));
				}
				for (Future<?> f : futures) {
					f.get();
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			Arrays.sort(latencies);
			System.out.printf("%d accepts with %d concurrent clients in %.2f s: %.1f accepts/s; latency p50 %.1f ms, p95 %.1f ms%n",
					count, clients, seconds, count / seconds, BenchSupport.p(latencies, 50) / 1e6,
					BenchSupport.p(latencies, 95) / 1e6);
		}
	}

	static void accept(String base, String token, String localPart) throws Exception {
		BenchSupport.call(base, "POST", "/api/v1/invitations/" + token + "/accept", null,
				"{\"local_part\":\"" + localPart + "\",\"password\":\"" + PASSWORD + "\"}");
	}
}
