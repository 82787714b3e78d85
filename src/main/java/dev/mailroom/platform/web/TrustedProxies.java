package dev.mailroom.platform.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The addresses of {@code MAILROOM_TRUSTED_PROXIES}: IPv4 and IPv6 addresses and CIDR ranges,
 * comma-separated. Only literals: a name would need a DNS lookup per request, and DNS can lie.
 */
final class TrustedProxies {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private record Range(byte[] network, int prefix) {

		boolean contains(byte[] address) {
			if (address.length != network.length) {
				return false;
			}
			int full = prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != network[i]) {
					return false;
				}
			}
			int rest = prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (address[full] & mask) == (network[full] & mask);
		}
	}

	private final List<Range> ranges;

	private TrustedProxies(List<Range> ranges) {
		this.ranges = ranges;
	}

	static TrustedProxies none() {
		return new TrustedProxies(List.of());
	}

	/** Parses the setting; throws {@link IllegalArgumentException} naming the entry it cannot read. */
	static TrustedProxies parse(String setting) {
		if (setting == null || setting.isBlank()) {
			return none();
		}
		List<Range> ranges = new ArrayList<>();
		for (String entry : setting.split(",")) {
			String value = entry.strip();
			if (value.isEmpty()) {
				continue;
			}
			int slash = value.indexOf('/');
			byte[] address = literal(slash < 0 ? value : value.substring(0, slash)).map(InetAddress::getAddress)
				.orElseThrow(() -> invalid(value));
			int prefix = address.length * 8;
			if (slash >= 0) {
				try {
					prefix = Integer.parseInt(value.substring(slash + 1));
				}
				catch (NumberFormatException e) {
					throw invalid(value);
				}
				if (prefix < 0 || prefix > address.length * 8) {
					throw invalid(value);
				}
			}
			ranges.add(new Range(address, prefix));
		}
		return new TrustedProxies(List.copyOf(ranges));
	}

	boolean isEmpty() {
		return ranges.isEmpty();
	}

	/** Whether {@code address} (a literal) is one of the proxies; never for a malformed one. */
	boolean contains(String address) {
		return literal(address).map(a -> ranges.stream().anyMatch(r -> r.contains(a.getAddress()))).orElse(false);
	}

	/**
	 * The client behind {@code peer}: the right-most address of {@code X-Forwarded-For} that is not
	 * a trusted proxy (each proxy appends the address it saw; what is left of an untrusted hop could be
	 * made up by the client). {@code peer} itself if it is not trusted or no usable address is given.
	 */
	String client(String peer, List<String> forwardedFor) {
		if (!contains(peer) || forwardedFor.isEmpty()) {
			return peer;
		}
		List<String> hops = forwardedFor.stream()
			.flatMap(header -> Arrays.stream(header.split(",")))
			.map(String::strip)
			.filter(hop -> !hop.isEmpty())
			.toList();
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			Optional<InetAddress> hop = literal(withoutPort(hops.get(i)));
			if (hop.isEmpty()) {
				break;
			}
			client = hop.get().getHostAddress();
			if (!contains(client)) {
				break;
			}
		}
		return client;
	}

	/** {@code [v6]:port}, {@code [v6]} and {@code v4:port} as they appear in forwarded headers. */
	private static String withoutPort(String hop) {
		if (hop.startsWith("[")) {
			int end = hop.indexOf(']');
			return end < 0 ? hop : hop.substring(1, end);
		}
		int colon = hop.indexOf(':');
		if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
			return hop.substring(0, colon);
		}
		return hop;
	}

	/** An IP literal, parsed without any lookup; empty for anything else. */
	static Optional<InetAddress> literal(String value) {
		if (value == null || value.isEmpty() || !(IPV4.matcher(value).matches() || IPV6.matcher(value).matches())) {
			return Optional.empty();
		}
		// a dotted quad with an octet over 255 would otherwise go to DNS as a host name
		if (IPV4.matcher(value).matches() && Arrays.stream(value.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
			return Optional.empty();
		}
		try {
			return Optional.of(InetAddress.getByName(value));
		}
		catch (UnknownHostException | SecurityException e) {
			return Optional.empty();
		}
	}

	private static IllegalArgumentException invalid(String entry) {
		return new IllegalArgumentException("MAILROOM_TRUSTED_PROXIES: '" + entry
				+ "' is not an IP address or CIDR range (e.g. 10.0.0.1, 192.168.0.0/16, fd00::/8)");
	}
}
