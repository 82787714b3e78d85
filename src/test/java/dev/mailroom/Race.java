package dev.mailroom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs calls in parallel threads released at the same instant, for tests of limits under concurrency. */
public final class Race {

	/** One racer: its index in, an HTTP status (or any result) out. */
	public interface Call {
		int run(int index) throws Exception;
	}

	private Race() {
	}

	public static List<Integer> of(int count, Call call) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Integer> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
			List<Future<Integer>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				futures.add(pool.submit((Callable<Integer>) () -> {
					start.await();
					return call.run(index);
				}));
			}
			start.countDown();
			for (Future<Integer> f : futures) {
				results.add(f.get());
			}
		}
		return results;
	}
}
