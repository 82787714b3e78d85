package dev.mailroom.domains;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mailroom.platform.MailroomSettings;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.springframework.stereotype.Component;

/**
 * Real TXT lookups through {@code MAILROOM_DNS_RESOLVER} ({@code host:port}) or the system's
 * resolvers. No cache of ours: a record published a second ago is seen on the next try
 * (as far as the resolver's own cache allows).
 */
@Component
class DnsTxtLookup {

	/** The lookup failed for a reason other than "no such record". */
	static class DnsUnavailableException extends Exception {
		DnsUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private final Resolver resolver;

	DnsTxtLookup(MailroomSettings settings) {
		this.resolver = resolver(settings.dnsResolver());
	}

	/** The strings of every TXT record at {@code name}; empty if none exist. */
	List<String> txt(String name) throws DnsUnavailableException {
		Message response;
		try {
			Record question = Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), Type.TXT,
					DClass.IN);
			response = resolver.send(Message.newQuery(question));
		}
		catch (TextParseException e) {
			return List.of();
		}
		catch (IOException e) {
			throw new DnsUnavailableException("DNS lookup failed: " + e.getMessage(), e);
		}
		int rcode = response.getRcode();
		if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
			throw new DnsUnavailableException("DNS server answered " + Rcode.string(rcode), null);
		}
		List<String> values = new ArrayList<>();
		for (Record record : response.getSection(Section.ANSWER)) {
			if (record instanceof TXTRecord txt) {
				values.add(String.join("", txt.getStrings()));
			}
		}
		return values;
	}

	private static Resolver resolver(String configured) {
		try {
			Resolver resolver;
			if (MailroomSettings.isSet(configured)) {
				String value = configured.strip();
				int colon = value.lastIndexOf(':');
				String host = colon > 0 && !value.endsWith("]") ? value.substring(0, colon) : value;
				int port = colon > 0 && !value.endsWith("]") ? Integer.parseInt(value.substring(colon + 1)) : 53;
				resolver = new SimpleResolver(new InetSocketAddress(host.replace("[", "").replace("]", ""), port));
			}
			else {
				resolver = new ExtendedResolver();
			}
			resolver.setTimeout(Duration.ofSeconds(5));
			return resolver;
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("MAILROOM_DNS_RESOLVER must be host:port, got " + configured, e);
		}
	}
}
