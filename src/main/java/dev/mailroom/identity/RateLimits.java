package dev.mailroom.identity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

	/**
	 * A named limit: {@code capacity} attempts per {@code period}, refilled gradually. The key of
	 * a {@code perClient} limit is a client address, bucketed by {@link #clientKey}.
	 */
	public record Limit(String name, int capacity, Duration period, boolean perClient) {

		public Limit(String name, int capacity, Duration period) {
			this(name, capacity, period, false);
		}
	}

	/**
	 * Wrong passwords (only those count) from one client lock that client out of the account
	 * first; the account as a whole only at a much higher threshold, and then only for clients it
	 * does not know (see {@code SignInThrottle}).
	 */
	public static final Limit SIGN_IN_PER_ACCOUNT_AND_CLIENT = new Limit("signin-account-client", 10, Duration.ofMinutes(15));
	public static final Limit SIGN_IN_PER_ACCOUNT = new Limit("signin-account", 100, Duration.ofMinutes(15));
	public static final Limit SIGN_IN_PER_CLIENT = new Limit("signin-client", 50, Duration.ofMinutes(15), true);
	/** Wrong passwords given from a browser the account signed in from before (its device cookie). */
	public static final Limit SIGN_IN_PER_DEVICE = new Limit("signin-device", 10, Duration.ofMinutes(15));
	/** Emailed one-time sign-in links to one account. */
	public static final Limit SIGN_IN_LINKS_PER_ACCOUNT = new Limit("signin-links", 5, Duration.ofHours(1));
	public static final Limit RECOVERY_PER_ADDRESS = new Limit("recovery-address", 5, Duration.ofHours(1));
	public static final Limit RECOVERY_PER_CLIENT = new Limit("recovery-client", 20, Duration.ofHours(1), true);
	public static final Limit INVITATION_PER_CLIENT = new Limit("invitation-client", 300, Duration.ofMinutes(10), true);
	public static final Limit SIGN_UP_PER_CLIENT = new Limit("signup-client", 10, Duration.ofHours(1), true);
	/** Wrong mailbox passwords given to share a person's address (like sign-in: per address, per client). */
	public static final Limit MAILBOX_PASSWORD_PER_ADDRESS = new Limit("mailbox-password-address", 10, Duration.ofMinutes(15));
	public static final Limit MAILBOX_PASSWORD_PER_CLIENT = new Limit("mailbox-password-client", 50, Duration.ofMinutes(15), true);
	/** Resending one invite (a new link and email each time). */
	public static final Limit RESEND_PER_INVITE = new Limit("resend-invite", 5, Duration.ofHours(1));
	/** Resends to one recipient across an organization, whatever the invite. */
	public static final Limit RESEND_PER_RECIPIENT = new Limit("resend-recipient", 20, Duration.ofDays(1));
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
		return tryConsume(limit, key, 1);
	}

	/** As {@link #tryConsume(Limit, String)} for {@code tokens} at once (all or none). */
	public long tryConsume(Limit limit, String key, int tokens) {
		ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(tokens);
		return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
	}

	/**
	 * Gives back a token taken by {@link #tryConsume} for an attempt that turned out not to count
	 * (the right password); never beyond the limit's capacity.
	 */
	public void refund(Limit limit, String key) {
		bucket(limit, key).addTokens(1);
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
		return buckets.builder().build(limit.name() + ":" + (limit.perClient() ? clientKey(key) : key), configuration);
	}

	/**
	 * The bucket of a client address: an IPv4 address as it is, an IPv6 address by its /64 (one
	 * subscriber usually holds a whole /64, so per-address buckets would be free to multiply).
	 * IPv4-mapped IPv6 addresses count as IPv4. Anything that is not an address literal is kept
	 * as it is (never resolved).
	 */
	public static String clientKey(String ip) {
		if (ip == null || ip.isBlank()) {
			return "";
		}
		String literal = ip.strip();
		if (literal.startsWith("[") && literal.endsWith("]")) {
			literal = literal.substring(1, literal.length() - 1);
		}
		int zone = literal.indexOf('%');
		if (zone >= 0) {
			literal = literal.substring(0, zone);
		}
		// only a literal with a colon is parsed, so no name ever goes to DNS
		if (literal.indexOf(':') < 0 || !literal.matches("[0-9A-Fa-f:.]+")) {
			return literal;
		}
		InetAddress address;
		try {
			address = InetAddress.getByName(literal);
		}
		catch (UnknownHostException e) {
			return literal;
		}
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			StringBuilder prefix = new StringBuilder();
			for (int i = 0; i < 8; i += 2) {
				prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
			}
			return prefix.append(":/64").toString();
		}
		return address.getHostAddress();
	}
}
