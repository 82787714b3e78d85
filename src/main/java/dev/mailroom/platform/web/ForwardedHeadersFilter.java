package dev.mailroom.platform.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mailroom.platform.MailroomSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one place that decides who the client is. Behind a TLS proxy listed in
 * {@code MAILROOM_TRUSTED_PROXIES}, {@code X-Forwarded-For}/{@code -Proto}/{@code -Host}/{@code -Port}
 * set the request's remote address, scheme and host; from any other peer they are ignored. Either
 * way the headers are hidden from everything after this filter, so nothing downstream (rate limits,
 * audit, sign-in throttles, session cookies) can read them again: they all see
 * {@link HttpServletRequest#getRemoteAddr()}. With an https base URL every response carries HSTS.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ForwardedHeadersFilter extends OncePerRequestFilter {

	static final String HSTS = "max-age=31536000; includeSubDomains";

	private static final Set<String> FORWARDED = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
			"x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "x-real-ip");
	private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]");

	private final TrustedProxies proxies;
	private final boolean https;

	@Autowired
	ForwardedHeadersFilter(MailroomSettings settings) {
		this(TrustedProxies.parse(settings.trustedProxies()), settings.httpsBaseUrl());
	}

	ForwardedHeadersFilter(TrustedProxies proxies, boolean https) {
		this.proxies = proxies;
		this.https = https;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (https) {
			response.setHeader("Strict-Transport-Security", HSTS);
		}
		chain.doFilter(forwarded(request), response);
	}

	/** The request as the client sent it to the proxy, if the peer is a trusted proxy. */
	HttpServletRequest forwarded(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		if (proxies.isEmpty() || !proxies.contains(peer)) {
			return new Forwarded(request, peer, null, null, -1);
		}
		String client = proxies.client(peer, Collections.list(request.getHeaders("X-Forwarded-For")));
		String proto = last(request.getHeader("X-Forwarded-Proto"));
		String scheme = "https".equalsIgnoreCase(proto) ? "https" : "http".equalsIgnoreCase(proto) ? "http" : null;
		String host = last(request.getHeader("X-Forwarded-Host"));
		int port = -1;
		if (host != null && !host.startsWith("[") && host.indexOf(':') > 0) {
			port = portOf(host.substring(host.indexOf(':') + 1));
			host = host.substring(0, host.indexOf(':'));
		}
		else if (host != null && host.startsWith("[") && host.contains("]:")) {
			port = portOf(host.substring(host.indexOf("]:") + 2));
			host = host.substring(0, host.indexOf("]:") + 1);
		}
		if (host != null && !HOST.matcher(host).matches()) {
			host = null;
		}
		if (port < 0) {
			port = portOf(last(request.getHeader("X-Forwarded-Port")));
		}
		if (port < 0 && scheme != null && host != null) {
			port = scheme.equals("https") ? 443 : 80;
		}
		return new Forwarded(request, client, scheme, host, port);
	}

	/** The value the nearest proxy added: the last of a comma-separated list. */
	private static String last(String header) {
		if (header == null) {
			return null;
		}
		String[] values = header.split(",");
		String value = values[values.length - 1].strip();
		return value.isEmpty() ? null : value;
	}

	private static int portOf(String value) {
		if (value == null || !value.matches("\\d{1,5}")) {
			return -1;
		}
		int port = Integer.parseInt(value);
		return port > 0 && port < 65536 ? port : -1;
	}

	private static final class Forwarded extends HttpServletRequestWrapper {

		private final String remoteAddr;
		private final String scheme;
		private final String host;
		private final int port;

		Forwarded(HttpServletRequest request, String remoteAddr, String scheme, String host, int port) {
			super(request);
			this.remoteAddr = remoteAddr;
			this.scheme = scheme;
			this.host = host;
			this.port = port;
		}

		@Override
		public String getRemoteAddr() {
			return remoteAddr;
		}

		@Override
		public String getRemoteHost() {
			return remoteAddr;
		}

		@Override
		public String getScheme() {
			return scheme != null ? scheme : super.getScheme();
		}

		@Override
		public boolean isSecure() {
			return scheme != null ? scheme.equals("https") : super.isSecure();
		}

		@Override
		public String getServerName() {
			return host != null ? host : super.getServerName();
		}

		@Override
		public int getServerPort() {
			if (port > 0) {
				return port;
			}
			return scheme != null ? (scheme.equals("https") ? 443 : 80) : super.getServerPort();
		}

		@Override
		public StringBuffer getRequestURL() {
			if (scheme == null && host == null) {
				return super.getRequestURL();
			}
			StringBuffer url = new StringBuffer(getScheme()).append("://").append(getServerName());
			int p = getServerPort();
			if (!(getScheme().equals("https") && p == 443) && !(getScheme().equals("http") && p == 80)) {
				url.append(':').append(p);
			}
			return url.append(getRequestURI());
		}

		@Override
		public String getHeader(String name) {
			return hidden(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames()).stream().filter(n -> !hidden(n)).toList();
			return Collections.enumeration(names);
		}

		private static boolean hidden(String name) {
			return name != null && FORWARDED.contains(name.toLowerCase(Locale.ROOT));
		}
	}
}
