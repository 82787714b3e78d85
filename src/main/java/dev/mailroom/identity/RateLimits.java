package dev.mailroom.identity;

import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mailroom.platform.MailroomSettings;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
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
	/** Sign-up emails (verification links, "you already have an account") to one address. */
	public static final Limit SIGN_UP_EMAILS_PER_RECIPIENT = new Limit("signup-recipient", 5, Duration.ofHours(1));

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
		int capacity = settings.rateLimit(limit.name()).orElse(limit.capacity());
		Supplier<BucketConfiguration> configuration = () -> BucketConfiguration.builder()
			.addLimit(l -> l.capacity(capacity).refillGreedy(capacity, limit.period()))
			.build();
		ConsumptionProbe probe = buckets.builder()
			.build(limit.name() + ":" + key, configuration)
			.tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
	}
}
