package dev.mailroom.identity;

import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mailroom.platform.MailroomSettings;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.springframework.stereotype.Component;

/**
 * Token buckets kept in PostgreSQL, so a limit holds across every app instance. Keys are
 * namespaced ({@code signin:account:…}, {@code signin:client:…}); they never contain secrets.
 */
@Component
public class RateLimits {

	/** A named limit: {@code capacity} attempts per {@code period}, refilled gradually. */
	public record Limit(String name, int capacity, Duration period) {
	}

	public static final Limit SIGN_IN_PER_ACCOUNT = new Limit("signin-account", 10, Duration.ofMinutes(15));
	public static final Limit SIGN_IN_PER_CLIENT = new Limit("signin-client", 50, Duration.ofMinutes(15));
	public static final Limit RECOVERY_PER_ADDRESS = new Limit("recovery-address", 5, Duration.ofHours(1));
	public static final Limit RECOVERY_PER_CLIENT = new Limit("recovery-client", 20, Duration.ofHours(1));
	public static final Limit INVITATION_PER_CLIENT = new Limit("invitation-client", 300, Duration.ofMinutes(10));
	public static final Limit SIGN_UP_PER_CLIENT = new Limit("signup-client", 10, Duration.ofHours(1));
	/** Wrong mailbox passwords given to share a person's address (like sign-in: per address, per client). */
	public static final Limit MAILBOX_PASSWORD_PER_ADDRESS = new Limit("mailbox-password-address", 10, Duration.ofMinutes(15));
	public static final Limit MAILBOX_PASSWORD_PER_CLIENT = new Limit("mailbox-password-client", 50, Duration.ofMinutes(15));

	private final ProxyManager<String> buckets;
	private final MailroomSettings settings;

	/** {@code mailroom.rate-limits.<name>} overrides a limit's capacity (per its period). */
	RateLimits(DataSource dataSource, MailroomSettings settings) {
		this.settings = settings;
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("mailroom.rate_limit_buckets")
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
			.build();
	}

	/**
	 * Takes one token for {@code key} under {@code limit}; returns 0 when allowed, else the
	 * seconds until the next attempt may succeed.
	 */
	public long tryConsume(Limit limit, String key) {
		ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
	}

	/**
	 * Like {@link #tryConsume} without taking the token: 0 when one attempt would be allowed, else
	 * the seconds to wait. For limits that count only failures (the token is taken on failure).
	 */
	public long waitFor(Limit limit, String key) {
		EstimationProbe probe = bucket(limit, key).estimateAbilityToConsume(1);
		return probe.canBeConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
	}

	private io.github.bucket4j.distributed.BucketProxy bucket(Limit limit, String key) {
		int capacity = settings.rateLimit(limit.name()).orElse(limit.capacity());
		Supplier<BucketConfiguration> configuration = () -> BucketConfiguration.builder()
			.addLimit(l -> l.capacity(capacity).refillGreedy(capacity, limit.period()))
			.build();
		return buckets.builder().build(limit.name() + ":" + key, configuration);
	}
}
