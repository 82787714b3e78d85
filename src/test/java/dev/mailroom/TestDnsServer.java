package dev.mailroom;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on 127.0.0.1 (one random port, UDP and TCP) that answers TXT
 * queries from an in-memory zone tests publish to. Unknown names get NXDOMAIN; a name with
 * records but no TXT gets an empty NOERROR answer. UDP answers larger than the client allows
 * (512 bytes, or the EDNS payload size) are truncated with TC set, so resolvers retry over TCP,
 * as real ones do. One server per JVM: the application points {@code mailroom.dns-resolver}
 * at it through {@link Initializer}.
 */
public final class TestDnsServer implements AutoCloseable {

	/** One question the server received. */
	public record Query(String name, int type, String transport) {
	}

	private static final long TTL = 60;
	private static TestDnsServer shared;

	private final DatagramSocket udp;
	private final ServerSocket tcp;
	private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
	private final Set<String> failing = ConcurrentHashMap.newKeySet();
	private final ConcurrentLinkedQueue<Query> queries = new ConcurrentLinkedQueue<>();
	private volatile boolean running = true;

	private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
		this.udp = udp;
		this.tcp = tcp;
		Thread.ofPlatform().daemon().name("test-dns-udp").start(this::serveUdp);
		Thread.ofPlatform().daemon().name("test-dns-tcp").start(this::serveTcp);
	}

	/** The server shared by every test in this JVM, started on first use. */
	public static synchronized TestDnsServer shared() {
		if (shared == null) {
			shared = start();
		}
		return shared;
	}

	/** Starts a new server on a free port (the same number for UDP and TCP). */
	public static TestDnsServer start() {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		for (int attempt = 0; attempt < 20; attempt++) {
			DatagramSocket udp = null;
			try {
				udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
				ServerSocket tcp = new ServerSocket();
				tcp.setReuseAddress(true);
				try {
					tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()), 50);
				}
				catch (BindException e) {
					tcp.close();
					udp.close();
					continue;
				}
				return new TestDnsServer(udp, tcp);
			}
			catch (IOException e) {
				if (udp != null) {
					udp.close();
				}
				throw new UncheckedIOException("Cannot start the test DNS server", e);
			}
		}
		throw new IllegalStateException("No port free for both UDP and TCP on " + loopback);
	}

	public int port() {
		return udp.getLocalPort();
	}

	/** {@code host:port}, as {@code mailroom.dns-resolver} takes it. */
	public String address() {
		return "127.0.0.1:" + port();
	}

	/** Adds a TXT record (one more value at {@code name}; earlier values stay). */
	public void publishTxt(String name, String value) {
		txt.merge(key(name), List.of(value), (old, added) -> {
			List<String> all = new ArrayList<>(old);
			all.addAll(added);
			return List.copyOf(all);
		});
	}

	/** Removes one TXT value; the name disappears (NXDOMAIN) when it was the last. */
	public void unpublishTxt(String name, String value) {
		txt.computeIfPresent(key(name), (k, old) -> {
			List<String> left = new ArrayList<>(old);
			left.remove(value);
			return left.isEmpty() ? null : List.copyOf(left);
		});
	}

	/** Removes every record at {@code name}. */
	public void unpublish(String name) {
		txt.remove(key(name));
	}

	/** From now on, answers SERVFAIL for {@code name} (a broken upstream), until {@link #recover}. */
	public void failFor(String name) {
		failing.add(key(name));
	}

	public void recover(String name) {
		failing.remove(key(name));
	}

	/** How many questions for {@code name} arrived so far, over UDP and TCP. */
	public long queriesFor(String name) {
		String key = key(name);
		return queries.stream().filter(q -> q.name().equals(key)).count();
	}

	/** How many questions for {@code name} arrived over {@code transport} ("udp" or "tcp"). */
	public long queriesFor(String name, String transport) {
		String key = key(name);
		return queries.stream().filter(q -> q.name().equals(key) && q.transport().equals(transport)).count();
	}

	@Override
	public void close() {
		running = false;
		udp.close();
		try {
			tcp.close();
		}
		catch (IOException e) {
			// closing anyway
		}
	}

	/** Starts the shared server and points the application's resolver at it. */
	public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues.of("mailroom.dns-resolver=" + shared().address()).applyTo(context);
		}
	}

	private static String key(String name) {
		try {
			return Name.fromString(name, Name.root).canonicalize().toString();
		}
		catch (TextParseException e) {
			throw new IllegalArgumentException("Not a DNS name: " + name, e);
		}
	}

	private void serveUdp() {
		byte[] buffer = new byte[65535];
		while (running) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				udp.receive(packet);
			}
			catch (IOException e) {
				if (!running || udp.isClosed()) {
					return;
				}
				continue;
			}
			byte[] wire = answer(Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getLength()), "udp");
			if (wire != null) {
				try {
					udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
				}
				catch (IOException e) {
					// the client is gone; it will retry
				}
			}
		}
	}

	private void serveTcp() {
		while (running) {
			Socket socket;
			try {
				socket = tcp.accept();
			}
			catch (IOException e) {
				if (!running || tcp.isClosed()) {
					return;
				}
				continue;
			}
			Thread.ofVirtual().name("test-dns-tcp-connection").start(() -> serveTcpConnection(socket));
		}
	}

	/** RFC 1035 §4.2.2: each message is preceded by its length in two bytes; several may follow. */
	private void serveTcpConnection(Socket socket) {
		try (socket; var in = new DataInputStream(socket.getInputStream());
				var out = new DataOutputStream(socket.getOutputStream())) {
			socket.setSoTimeout(10_000);
			while (running) {
				int length;
				try {
					length = in.readUnsignedShort();
				}
				catch (EOFException e) {
					return;
				}
				byte[] query = in.readNBytes(length);
				if (query.length < length) {
					return;
				}
				byte[] wire = answer(query, "tcp");
				if (wire == null) {
					return;
				}
				out.writeShort(wire.length);
				out.write(wire);
				out.flush();
			}
		}
		catch (SocketException e) {
			// the client closed the connection
		}
		catch (IOException e) {
			// a broken client; nothing to answer
		}
	}

	/** The wire answer to a wire query, or {@code null} when the query cannot even be parsed. */
	private byte[] answer(byte[] wire, String transport) {
		Message query;
		try {
			query = new Message(wire);
		}
		catch (IOException e) {
			if (wire.length < Header.LENGTH) {
				return null;
			}
			Message error = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
			error.getHeader().setFlag(Flags.QR);
			error.getHeader().setRcode(Rcode.FORMERR);
			return error.toWire();
		}
		Message response = respond(query, transport);
		if (transport.equals("tcp")) {
			return response.toWire();
		}
		OPTRecord opt = query.getOPT();
		int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
		return response.toWire(limit);
	}

	private Message respond(Message query, String transport) {
		Header asked = query.getHeader();
		Message response = new Message(asked.getID());
		Header header = response.getHeader();
		header.setFlag(Flags.QR);
		header.setOpcode(asked.getOpcode());
		if (asked.getFlag(Flags.RD)) {
			header.setFlag(Flags.RD);
		}
		if (query.getOPT() != null) {
			response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
		}
		Record question = query.getQuestion();
		if (asked.getOpcode() != Opcode.QUERY) {
			header.setRcode(Rcode.NOTIMP);
			return response;
		}
		if (question == null) {
			header.setRcode(Rcode.FORMERR);
			return response;
		}
		response.addRecord(question, Section.QUESTION);
		String name = question.getName().canonicalize().toString();
		queries.add(new Query(name, question.getType(), transport));
		if (failing.contains(name)) {
			header.setRcode(Rcode.SERVFAIL);
			return response;
		}
		header.setFlag(Flags.AA);
		List<String> values = txt.get(name);
		if (values == null) {
			header.setRcode(Rcode.NXDOMAIN);
			return response;
		}
		if (question.getDClass() == DClass.IN && (question.getType() == Type.TXT || question.getType() == Type.ANY)) {
			for (String value : values) {
				response.addRecord(new TXTRecord(question.getName(), DClass.IN, TTL, chunks(value)), Section.ANSWER);
			}
		}
		return response;
	}

	/** A TXT value longer than 255 bytes travels as several character-strings, joined by the reader. */
	private static List<String> chunks(String value) {
		if (value.isEmpty()) {
			return List.of("");
		}
		List<String> parts = new ArrayList<>();
		for (int start = 0; start < value.length(); start += 255) {
			parts.add(value.substring(start, Math.min(value.length(), start + 255)));
		}
		return parts;
	}

	@Override
	public String toString() {
		return "TestDnsServer[" + address() + ", names=" + txt.keySet() + "]";
	}
}
