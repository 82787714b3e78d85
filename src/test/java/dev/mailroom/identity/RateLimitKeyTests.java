package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Per-client buckets: IPv4 by address, IPv6 by /64, whatever the spelling. */
class RateLimitKeyTests {

	@Test
	void ipv6ClientsShareTheBucketOfTheirSlash64() {
		String key = RateLimits.clientKey("2001:db8:1:2::1");
		assertThat(RateLimits.clientKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo(key);
		assertThat(RateLimits.clientKey("2001:0DB8:0001:0002:0:0:0:abcd")).isEqualTo(key);
		assertThat(RateLimits.clientKey("[2001:db8:1:2::7]")).isEqualTo(key);
		assertThat(RateLimits.clientKey("2001:db8:1:2::7%eth0")).isEqualTo(key);
		assertThat(key).isEqualTo("2001:db8:1:2::/64");
		assertThat(RateLimits.clientKey("2001:db8:1:3::1")).as("the next /64").isNotEqualTo(key);
	}

	@Test
	void ipv4ClientsKeepTheirOwnBucket() {
		assertThat(RateLimits.clientKey("192.0.2.1")).isEqualTo("192.0.2.1");
		assertThat(RateLimits.clientKey("192.0.2.2")).isEqualTo("192.0.2.2");
		assertThat(RateLimits.clientKey("::ffff:192.0.2.1")).as("IPv4-mapped").isEqualTo("192.0.2.1");
		assertThat(RateLimits.clientKey(null)).isEmpty();
		assertThat(RateLimits.clientKey("unknown")).isEqualTo("unknown");
	}
}
