package dev.mailroom.mailplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.platform.database.DatabaseCoordinates;

/**
 * Writes Dovecot 2.3 and Postfix 3.7 configuration for the app's database from the templates under
 * {@code mailplane/} on the class path. Every value comes from the options, the database's
 * coordinates and the mail plane's login; an unknown placeholder fails the run rather than leaving
 * a broken file behind.
 * <p>
 * A file holding a secret (the database login's password, doveadm's API key) is readable by the
 * server that needs it and nobody else: {@code 0640} with the group Dovecot's or Postfix's
 * processes run as, or {@code 0600} where that group does not exist (or cannot be given, when not
 * run as root). Every file is written under a temporary name created {@code 0600}, given its group
 * and mode, then renamed over the old one, so no one can read a secret in between and a server
 * never reads half a file.
 */
final class MailplaneConfigWriter {

	static final List<String> DOVECOT_FILES = List.of("dovecot.conf", "dovecot-sql.conf.ext",
			"dovecot-master-sql.conf.ext", "dovecot-webmail-sql.conf.ext", "dovecot-webmail-master-sql.conf.ext",
			"dovecot-acl");

	static final List<String> POSTFIX_FILES = List.of("main.cf", "master.cf", "pgsql-domains.cf",
			"pgsql-mailboxes.cf", "pgsql-aliases.cf", "pgsql-sender-logins.cf");

	/** The files holding a secret, and the group of the server that reads each. */
	static final Map<String, String> SECRET_GROUPS = Map.ofEntries(Map.entry("dovecot/dovecot.conf", "dovecot"),
			Map.entry("dovecot/dovecot-sql.conf.ext", "dovecot"), Map.entry("dovecot/dovecot-master-sql.conf.ext", "dovecot"),
			Map.entry("dovecot/dovecot-webmail-sql.conf.ext", "dovecot"),
			Map.entry("dovecot/dovecot-webmail-master-sql.conf.ext", "dovecot"),
			Map.entry("postfix/pgsql-domains.cf", "postfix"), Map.entry("postfix/pgsql-mailboxes.cf", "postfix"),
			Map.entry("postfix/pgsql-aliases.cf", "postfix"), Map.entry("postfix/pgsql-sender-logins.cf", "postfix"));

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
	private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");
	private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

	private final MailplaneOptions options;
	private final Map<String, String> values;
	private final Function<String, Optional<GroupPrincipal>> groups;

	MailplaneConfigWriter(MailplaneOptions options, DatabaseCoordinates database, String databaseRole,
			String databasePassword, String doveadmApiKey) {
		this(options, database, databaseRole, databasePassword, doveadmApiKey, MailplaneConfigWriter::systemGroup);
	}

	/** With {@code groups} naming the system's groups (a test decides which exist). */
	MailplaneConfigWriter(MailplaneOptions options, DatabaseCoordinates database, String databaseRole,
			String databasePassword, String doveadmApiKey, Function<String, Optional<GroupPrincipal>> groups) {
		this.options = options;
		this.values = values(options, database, databaseRole, databasePassword, doveadmApiKey);
		this.groups = groups;
	}

	/** Writes {@code OUT/dovecot/*} and {@code OUT/postfix/*}; returns the files written. */
	List<Path> write() throws IOException {
		var written = new java.util.ArrayList<Path>();
		written.addAll(writeAll("dovecot", DOVECOT_FILES));
		written.addAll(writeAll("postfix", POSTFIX_FILES));
		return written;
	}

	String render(String template, String configDir) throws IOException {
		try (InputStream in = MailplaneConfigWriter.class.getResourceAsStream("/mailplane/" + template)) {
			if (in == null) {
				throw new IOException("Missing template mailplane/" + template);
			}
			Map<String, String> all = new LinkedHashMap<>(values);
			all.put("config_dir", configDir);
			// one pass: a value is written as it is, never expanded again (a password may hold "{{")
			return PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8)).replaceAll(match -> {
				String value = all.get(match.group(1));
				if (value == null) {
					throw new IllegalStateException("Unknown placeholder {{" + match.group(1) + "}} in " + template);
				}
				return Matcher.quoteReplacement(value);
			});
		}
	}

	private List<Path> writeAll(String server, List<String> files) throws IOException {
		Path dir = options.out().resolve(server);
		Files.createDirectories(dir);
		var written = new java.util.ArrayList<Path>();
		for (String file : files) {
			Path target = dir.resolve(file);
			String group = SECRET_GROUPS.get(server + "/" + file);
			writeAtomically(target, render(server + "/" + file, dir.toString()), group);
			written.add(target);
		}
		return written;
	}

	/**
	 * Writes {@code text} to {@code target} through a temporary file created owner-only; a secret
	 * ({@code group} not null) ends 0640 with that group where it can be given, else stays 0600.
	 */
	private void writeAtomically(Path target, String text, String group) throws IOException {
		Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
				PosixFilePermissions.asFileAttribute(OWNER_ONLY));
		try {
			Files.writeString(temp, text);
			PosixFileAttributeView attributes = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
			if (group == null) {
				attributes.setPermissions(PUBLIC);
			}
			else if (giveGroup(attributes, group)) {
				attributes.setPermissions(OWNER_AND_GROUP);
			}
			Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	/** Whether the file now belongs to {@code group}; false when there is no such group or it cannot be given. */
	private boolean giveGroup(PosixFileAttributeView attributes, String group) throws IOException {
		Optional<GroupPrincipal> principal = groups.apply(group);
		if (principal.isEmpty()) {
			return false;
		}
		try {
			attributes.setGroup(principal.get());
			return true;
		}
		catch (FileSystemException e) {
			// not root and not in that group: the server cannot read it, but nobody else can either
			return false;
		}
	}

	private static Optional<GroupPrincipal> systemGroup(String name) {
		try {
			return Optional.of(java.nio.file.FileSystems.getDefault()
				.getUserPrincipalLookupService()
				.lookupPrincipalByGroupName(name));
		}
		catch (UserPrincipalNotFoundException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** A libpq connection-string value: quoted, with quotes and backslashes escaped. */
	static String libpq(String value) {
		return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

	private static Map<String, String> values(MailplaneOptions o, DatabaseCoordinates db, String role, String password,
			String doveadmApiKey) {
		Map<String, String> v = new LinkedHashMap<>();
		v.put("listen", o.listen());
		v.put("hostname", o.hostname());
		v.put("imap_port", Integer.toString(o.imapPort()));
		v.put("lmtp_port", Integer.toString(o.lmtpPort()));
		v.put("auth_port", Integer.toString(o.authPort()));
		v.put("quota_status_port", Integer.toString(o.quotaStatusPort()));
		v.put("milter_port", Integer.toString(o.milterPort()));
		v.put("doveadm_port", Integer.toString(o.doveadmPort()));
		v.put("doveadm_address", o.doveadmListen());
		// parse() refused a doveadm beyond loopback without a certificate
		v.put("doveadm_ssl", o.doveadmOnLoopback() ? "# plain HTTP: loopback only" : "ssl = yes");
		v.put("doveadm_api_key", doveadmApiKey);
		v.put("webmail_nets", o.webmailNets());
		v.put("webmail_trusted_networks", o.webmailNets().replace(',', ' '));
		v.put("mail_dir", o.mailDir().toString());
		v.put("run_dir", o.runDir().toString());
		v.put("log_dir", o.logDir().toString());
		v.put("spool_dir", o.spoolDir().toString());
		v.put("state_dir", o.stateDir().toString());
		v.put("vmail_uid", Integer.toString(o.vmailUid()));
		v.put("vmail_gid", Integer.toString(o.vmailGid()));
		v.put("pg_host", db.host());
		v.put("pg_port", Integer.toString(db.port()));
		v.put("pg_database", db.database());
		v.put("pg_user", role);
		v.put("pg_password", password);
		v.put("pg_connect", "host=%s port=%d dbname=%s user=%s password=%s".formatted(libpq(db.host()), db.port(),
				libpq(db.database()), libpq(role), libpq(password)));
		String smtpHost = o.listen().equals("*") ? "" : o.listen() + ":";
		v.put("inet_interfaces", o.listen().equals("*") ? "all" : o.listen());
		v.put("smtp_listen", smtpHost + o.smtpPort());
		v.put("submission_listen", smtpHost + o.submissionPort());
		if (o.tls()) {
			v.put("ssl", "ssl = required\nssl_cert = <" + o.tlsCert() + "\nssl_key = <" + o.tlsKey());
			v.put("disable_plaintext_auth", "yes");
			v.put("tls", "smtpd_tls_cert_file = " + o.tlsCert() + "\nsmtpd_tls_key_file = " + o.tlsKey()
					+ "\nsmtpd_tls_security_level = may");
			v.put("tls_auth_only", "yes");
		}
		else {
			// without a certificate: fit for loopback and tests only, which is what the comment says
			v.put("ssl", "# no TLS certificate given (--tls-cert/--tls-key): plaintext, fit for loopback only\nssl = no");
			v.put("disable_plaintext_auth", "no");
			v.put("tls", "# no TLS certificate given (--tls-cert/--tls-key): plaintext, fit for loopback only\n"
					+ "smtpd_tls_security_level = none");
			v.put("tls_auth_only", "no");
		}
		return v;
	}
}
