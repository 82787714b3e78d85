package dev.mailroom.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** MAILROOM_TRUSTED_PROXIES: who is a proxy, and who the client behind it is. */
class TrustedProxiesTests {

	private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.1, 192.168.0.0/16, 172.16.0.0/12, fd00::/8, ::1");

	@Test
	void addressesAndRangesOfBothFamilies() {
		assertThat(proxies.contains("10.0.0.1")).isTrue();
		assertThat(proxies.contains("10.0.0.2")).isFalse();
		assertThat(proxies.contains("192.168.255.3")).isTrue();
		assertThat(proxies.contains("172.31.255.255")).isTrue();
		assertThat(proxies.contains("172.32.0.1")).isFalse();
		assertThat(proxies.contains("fd12:3456::1")).isTrue();
		assertThat(proxies.contains("fe80::1")).isFalse();
		assertThat(proxies.contains("0:0:0:0:0:0:0:1")).isTrue();
		assertThat(proxies.contains("::ffff:10.0.0.1")).as("an IPv4-mapped address is the IPv4 one").isTrue();
		assertThat(proxies.contains("not-an-address")).isFalse();
		assertThat(proxies.contains("999.0.0.1")).isFalse();
		assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
		assertThat(TrustedProxies.parse("").contains("127.0.0.1")).as("by default no one is trusted").isFalse();
	}

	@Test
	void theClientIsTheRightMostAddressThatIsNotAProxy() {
		assertThat(proxies.client("10.0.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
		assertThat(proxies.client("10.0.0.1", List.of("1.1.1.1, 203.0.113.7, 192.168.1.1"))).as("1.1.1.1 may be made up")
			.isEqualTo("203.0.113.7");
		assertThat(proxies.client("10.0.0.1", List.of("1.1.1.1", "203.0.113.7"))).isEqualTo("203.0.113.7");
		assertThat(proxies.client("10.0.0.1", List.of("[2001:db8::5]:4711"))).isEqualTo("2001:db8:0:0:0:0:0:5");
		assertThat(proxies.client("10.0.0.1", List.of("203.0.113.7:4711"))).isEqualTo("203.0.113.7");
		assertThat(proxies.client("10.0.0.1", List.of("garbage, 192.168.1.1"))).as("garbage stops the walk")
			.isEqualTo("192.168.1.1");
		assertThat(proxies.client("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
		assertThat(proxies.client("203.0.113.99", List.of("1.2.3.4"))).as("an untrusted peer is the client")
			.isEqualTo("203.0.113.99");
	}

	@Test
	void aSettingThatIsNotAnAddressIsRefused() {
		for (String bad : List.of("proxy.internal", "10.0.0.0/33", "10.0.0.1/x", "fd00::/129", "300.1.1.1")) {
			assertThatThrownBy(() -> TrustedProxies.parse(bad)).as(bad)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("MAILROOM_TRUSTED_PROXIES");
		}
	}

	@Test
	void forwardedHeadersOfAnUntrustedPeerAreIgnoredAndHidden() {
		ForwardedHeadersFilter filter = new ForwardedHeadersFilter(proxies, false);
		MockHttpServletRequest request = request("203.0.113.99");
		var seen = filter.forwarded(request);
		assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.99");
		assertThat(seen.getScheme()).isEqualTo("http");
		assertThat(seen.isSecure()).isFalse();
		assertThat(seen.getServerName()).isEqualTo("localhost");
		assertThat(seen.getHeader("X-Forwarded-For")).isNull();
		assertThat(seen.getHeaders("X-Forwarded-Host").hasMoreElements()).isFalse();
		assertThat(java.util.Collections.list(seen.getHeaderNames())).doesNotContain("X-Forwarded-For",
				"X-Forwarded-Proto", "X-Forwarded-Host");
	}

	@Test
	void forwardedHeadersOfATrustedProxyDescribeTheClientsRequest() {
		ForwardedHeadersFilter filter = new ForwardedHeadersFilter(proxies, false);
		var seen = filter.forwarded(request("10.0.0.1"));
		assertThat(seen.getRemoteAddr()).isEqualTo("198.51.100.4");
		assertThat(seen.getScheme()).isEqualTo("https");
		assertThat(seen.isSecure()).isTrue();
		assertThat(seen.getServerName()).isEqualTo("mail.example");
		assertThat(seen.getServerPort()).isEqualTo(443);
		assertThat(seen.getRequestURL().toString()).isEqualTo("https://mail.example/dashboard");
		assertThat(seen.getHeader("X-Forwarded-For")).as("read once, here").isNull();
	}

	@Test
	void hstsOnlyWithAnHttpsBaseUrl() throws Exception {
		MockHttpServletResponse plain = new MockHttpServletResponse();
		new ForwardedHeadersFilter(proxies, false).doFilter(request("10.0.0.1"), plain, (req, res) -> {
		});
		assertThat(plain.getHeader("Strict-Transport-Security")).isNull();
		MockHttpServletResponse https = new MockHttpServletResponse();
		new ForwardedHeadersFilter(proxies, true).doFilter(request("203.0.113.99"), https, (req, res) -> {
		});
		assertThat(https.getHeader("Strict-Transport-Security")).isEqualTo(ForwardedHeadersFilter.HSTS);
	}

	private static MockHttpServletRequest request(String peer) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");
		request.setRemoteAddr(peer);
		request.addHeader("X-Forwarded-For", "6.6.6.6, 198.51.100.4");
		request.addHeader("X-Forwarded-Proto", "https");
		request.addHeader("X-Forwarded-Host", "mail.example");
		return request;
	}
}
