package dev.mailroom.mailplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.platform.database.DatabaseCoordinates;

/**
 * Writes Dovecot 2.3 and Postfix 3.7 configuration for the app's database from the templates under
 * {@code mailplane/} on the class path. Every value comes from the options, the database's
 * coordinates and the mail plane's login; an unknown placeholder fails the run rather than leaving
 * a broken file behind.
 */
final class MailplaneConfigWriter {

	static final List<String> DOVECOT_FILES = List.of("dovecot.conf", "dovecot-sql.conf.ext",
			"dovecot-master-sql.conf.ext", "dovecot-acl");

	static final List<String> POSTFIX_FILES = List.of("main.cf", "master.cf", "pgsql-domains.cf",
			"pgsql-mailboxes.cf", "pgsql-aliases.cf", "pgsql-sender-logins.cf");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

	private final MailplaneOptions options;
	private final Map<String, String> values;

	MailplaneConfigWriter(MailplaneOptions options, DatabaseCoordinates database, String databaseRole,
			String databasePassword, String doveadmApiKey) {
		this.options = options;
		this.values = values(options, database, databaseRole, databasePassword, doveadmApiKey);
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
			Files.writeString(target, render(server + "/" + file, dir.toString()));
			written.add(target);
		}
		return written;
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
		// the app may run on another host than Dovecot: doveadm listens where IMAP does, guarded by its key
		v.put("doveadm_address", o.loopbackOnly() ? "127.0.0.1" : o.listen());
		v.put("doveadm_api_key", doveadmApiKey);
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
