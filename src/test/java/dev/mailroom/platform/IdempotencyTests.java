package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@MailroomTest
class IdempotencyTests {

	@LocalServerPort
	int port;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
	}

	private TestApi.Response addDomain(TestApi.Tenant tenant, String name, String key) {
		return api.send("POST", "/api/v1/domains", Map.of("name", name), "Bearer " + tenant.apiKey(),
				Map.of("Idempotency-Key", key));
	}

	private int domainCount(TestApi.Tenant tenant) {
		return api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items").size();
	}

	@Test
	void retryWithTheSameKeyReturnsTheFirstResponseAndChangesNothing() {
		var tenant = api.newTenant("starter");
		String key = UUID.randomUUID().toString();
		String name = "idem-" + UUID.randomUUID() + ".example";

		var first = addDomain(tenant, name, key);
		var retry = addDomain(tenant, name, key);

		assertThat(first.status()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.raw().body()).isEqualTo(first.raw().body());
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(domainCount(tenant)).isEqualTo(1);
	}

	@Test
	void sameKeyWithAnotherBodyIsRefused() {
		var tenant = api.newTenant("starter");
		String key = UUID.randomUUID().toString();
		assertThat(addDomain(tenant, "one-" + UUID.randomUUID() + ".example", key).status()).isEqualTo(201);

		var reused = addDomain(tenant, "two-" + UUID.randomUUID() + ".example", key);

		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.code()).isEqualTo("idempotency_key_reused");
		assertThat(domainCount(tenant)).isEqualTo(1);
	}

	@Test
	void keysAreScopedToTheCaller() {
		var a = api.newTenant("starter");
		var b = api.newTenant("starter");
		String key = UUID.randomUUID().toString();
		assertThat(addDomain(a, "a-" + UUID.randomUUID() + ".example", key).status()).isEqualTo(201);
		assertThat(addDomain(b, "b-" + UUID.randomUUID() + ".example", key).status()).isEqualTo(201);
	}

	@Test
	void concurrentDuplicatesCreateExactlyOnce() throws Exception {
		var tenant = api.newTenant("starter");
		String key = UUID.randomUUID().toString();
		String name = "race-" + UUID.randomUUID() + ".example";
		List<Callable<TestApi.Response>> calls = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			calls.add(() -> addDomain(tenant, name, key));
		}
		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
			for (Future<TestApi.Response> f : pool.invokeAll(calls)) {
				TestApi.Response r = f.get();
				statuses.add(r.status());
				if (r.status() == 409) {
					assertThat(r.code()).isEqualTo("idempotency_key_in_use");
				}
			}
		}
		assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
		assertThat(domainCount(tenant)).isEqualTo(1);
	}

	@Test
	void malformedKeyIsABadRequest() {
		var tenant = api.newTenant("starter");
		var response = addDomain(tenant, "k-" + UUID.randomUUID() + ".example", "x".repeat(300));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("invalid_idempotency_key");
		assertThat(domainCount(tenant)).isZero();
	}
}
