package dev.mailroom.mailplane;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the generated Postfix/Dovecot configuration listens on and where it keeps its files. The
 * defaults suit a mail host (standard ports on every address, mail under /var/vmail), which then
 * needs a certificate; the internal services (LMTP, SASL, quota policy, milter, doveadm's HTTP API)
 * listen on loopback unless told otherwise ({@code --doveadm-listen}, with TLS too).
 */
record MailplaneOptions(Path out, String listen, String hostname, int imapPort, int smtpPort, int submissionPort,
		int lmtpPort, int authPort, int quotaStatusPort, int milterPort, int doveadmPort, Path mailDir, Path runDir,
		Path logDir, Path spoolDir, Path stateDir, int vmailUid, int vmailGid, String tlsCert, String tlsKey,
		String doveadmListen, String webmailNets) {

	private static final Set<String> KNOWN = Set.of("out", "listen", "hostname", "imap-port", "smtp-port",
			"submission-port", "lmtp-port", "auth-port", "quota-status-port", "milter-port", "doveadm-port",
			"mail-dir", "run-dir", "log-dir", "spool-dir", "state-dir", "vmail-uid", "vmail-gid", "tls-cert",
			"tls-key", "doveadm-listen", "webmail-nets");

	static MailplaneOptions parse(String[] args) {
		Map<String, String> given = pairs(args, KNOWN);
		if (!given.containsKey("out")) {
			throw new IllegalArgumentException("--out DIR is required");
		}
		if (given.containsKey("tls-cert") != given.containsKey("tls-key")) {
			// half a certificate must not quietly turn into a plaintext configuration
			throw new IllegalArgumentException("--tls-cert and --tls-key go together");
		}
		Path out = Path.of(given.get("out")).toAbsolutePath().normalize();
		var options = new MailplaneOptions(out, given.getOrDefault("listen", "*"), given.getOrDefault("hostname", "localhost"),
				port(given, "imap-port", 143), port(given, "smtp-port", 25), port(given, "submission-port", 587),
				port(given, "lmtp-port", 10024), port(given, "auth-port", 10026), port(given, "quota-status-port", 10027),
				port(given, "milter-port", 10028), port(given, "doveadm-port", 10029),
				path(given, "mail-dir", Path.of("/var/vmail")), path(given, "run-dir", out.resolve("run")),
				path(given, "log-dir", out.resolve("log")), path(given, "spool-dir", out.resolve("spool")),
				path(given, "state-dir", out.resolve("state")), number(given, "vmail-uid", 5000, 1, Integer.MAX_VALUE),
				number(given, "vmail-gid", 5000, 1, Integer.MAX_VALUE), given.get("tls-cert"), given.get("tls-key"),
				given.getOrDefault("doveadm-listen", "127.0.0.1"), webmailNets(given.getOrDefault("webmail-nets", "127.0.0.1/32")));
		// passwords and doveadm's API key must not cross the network in the clear
		if (!loopback(options.listen()) && !options.tls()) {
			throw new IllegalArgumentException("--listen " + options.listen() + (given.containsKey("listen") ? "" : " (the default)")
					+ " takes sign-ins from other machines, which needs TLS: give --tls-cert FILE --tls-key FILE,"
					+ " or --listen 127.0.0.1 for this machine only");
		}
		if (!loopback(options.doveadmListen()) && !options.tls()) {
			throw new IllegalArgumentException("--doveadm-listen " + options.doveadmListen()
					+ " puts doveadm's API key on the network, which needs TLS: give --tls-cert FILE --tls-key FILE,"
					+ " or leave doveadm on 127.0.0.1");
		}
		return options;
	}

	/**
	 * {@code --name value} or {@code --name=value} pairs, for the config and the milter commands;
	 * names outside {@code known} are refused, not ignored.
	 */
	static Map<String, String> pairs(String[] args, Set<String> known) {
		Map<String, String> given = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Unexpected argument: " + arg);
			}
			String name = arg.substring(2);
			String value;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			else if (i + 1 < args.length) {
				value = args[++i];
			}
			else {
				throw new IllegalArgumentException("--" + name + " needs a value");
			}
			if (!known.contains(name)) {
				throw new IllegalArgumentException("Unknown option --" + name + " (known: " + String.join(", ", known) + ")");
			}
			given.put(name, value);
		}
		return given;
	}

	/**
	 * The addresses webmail's credentials are accepted from (the app's): comma-separated IPs or
	 * CIDRs, nothing else, since the value is pasted into an SQL literal.
	 */
	private static String webmailNets(String value) {
		String nets = value.replace(" ", "");
		if (!nets.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?(,[0-9A-Fa-f:.]+(/\\d{1,3})?)*")) {
			throw new IllegalArgumentException("--webmail-nets takes IP addresses or CIDRs separated by commas, such as "
					+ "127.0.0.1/32,10.0.0.5/32 (the addresses Mailroom connects to Dovecot from)");
		}
		return nets;
	}

	boolean tls() {
		return tlsCert != null && tlsKey != null;
	}

	boolean loopbackOnly() {
		return loopback(listen);
	}

	/** Whether doveadm's HTTP API stays on this machine (the default). */
	boolean doveadmOnLoopback() {
		return loopback(doveadmListen);
	}

	/** localhost or an IPv4 loopback literal (127.0.0.0/8); a host name is never looked up. */
	static boolean loopback(String address) {
		return address.equals("localhost") || address.matches("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
	}

	static int port(Map<String, String> given, String name, int fallback) {
		return number(given, name, fallback, 1, 65535);
	}

	private static int number(Map<String, String> given, String name, int fallback, int min, int max) {
		String value = given.get(name);
		if (value == null) {
			return fallback;
		}
		try {
			int number = Integer.parseInt(value);
			if (number < min || number > max) {
				throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
			}
			return number;
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " must be a number", e);
		}
	}

	private static Path path(Map<String, String> given, String name, Path fallback) {
		String value = given.get(name);
		return value == null ? fallback : Path.of(value).toAbsolutePath().normalize();
	}
}
