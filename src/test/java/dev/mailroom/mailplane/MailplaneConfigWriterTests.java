package dev.mailroom.mailplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mailroom.platform.database.DatabaseCoordinates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailroom mailplane config}: the options it takes and the Dovecot and Postfix files it
 * writes from them. Where Debian's doveconf and postconf are installed, the written configuration
 * is also parsed by the servers' own tools.
 */
class MailplaneConfigWriterTests {

	private static final DatabaseCoordinates DB = new DatabaseCoordinates("db.internal", 6543, "maildb");
	private static final String ROLE = "mp_login";
	private static final String PASSWORD = "Db-Pass_0123456789abcdef";
	private static final String API_KEY = "doveadm-key-0123456789";

	@TempDir
	Path out;

	private MailplaneOptions options(String... extra) {
		List<String> args = new ArrayList<>(List.of("--out", out.toString()));
		args.addAll(List.of(extra));
		return MailplaneOptions.parse(args.toArray(String[]::new));
	}

	/** Loopback only, which needs no certificate. */
	private MailplaneOptions loopback(String... extra) {
		List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1"));
		args.addAll(List.of(extra));
		return options(args.toArray(String[]::new));
	}

	private List<Path> write(MailplaneOptions options) throws IOException {
		return new MailplaneConfigWriter(options, DB, ROLE, PASSWORD, API_KEY).write();
	}

	private String read(String file) throws IOException {
		return Files.readString(out.resolve(file), StandardCharsets.UTF_8);
	}

	/** The file's lines, stripped, without comments and blank lines. */
	private List<String> lines(String file) throws IOException {
		return read(file).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
	}

	// ---- the files ----

	@Test
	void writesEveryDovecotAndPostfixFileWithNoPlaceholderLeft() throws IOException {
		List<Path> written = write(loopback());

		List<Path> expected = Stream.concat(
				MailplaneConfigWriter.DOVECOT_FILES.stream().map(f -> out.resolve("dovecot").resolve(f)),
				MailplaneConfigWriter.POSTFIX_FILES.stream().map(f -> out.resolve("postfix").resolve(f)))
			.toList();
		assertThat(written).containsExactlyElementsOf(expected).hasSize(12);
		for (Path file : written) {
			String text = Files.readString(file);
			assertThat(text).as(file.toString()).isNotBlank().doesNotContain("{{").doesNotContain("}}");
		}
		try (Stream<Path> all = Files.walk(out)) {
			assertThat(all.filter(Files::isRegularFile).toList()).as("nothing else is written")
				.containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	@Test
	void theFilesNameEachOtherByTheirAbsolutePaths() throws IOException {
		write(loopback());
		String dovecot = out.resolve("dovecot").toString();
		String postfix = out.resolve("postfix").toString();
		assertThat(lines("dovecot/dovecot.conf")).contains("args = " + dovecot + "/dovecot-master-sql.conf.ext",
				"args = " + dovecot + "/dovecot-sql.conf.ext", "acl = vfile:" + dovecot + "/dovecot-acl",
				"base_dir = " + out.resolve("run") + "/dovecot", "log_path = " + out.resolve("log") + "/dovecot.log");
		assertThat(lines("postfix/main.cf")).contains("virtual_mailbox_domains = proxy:pgsql:" + postfix + "/pgsql-domains.cf",
				"virtual_mailbox_maps = proxy:pgsql:" + postfix + "/pgsql-mailboxes.cf",
				"virtual_alias_maps = proxy:pgsql:" + postfix + "/pgsql-aliases.cf",
				"smtpd_sender_login_maps = proxy:pgsql:" + postfix + "/pgsql-sender-logins.cf",
				"queue_directory = " + out.resolve("spool"), "data_directory = " + out.resolve("state"));
	}

	@Test
	void webmailCredentialsAreTriedFirstAndTakenOnlyFromTheAppsAddresses() throws IOException {
		write(loopback("--webmail-nets", "127.0.0.1/32, 10.0.0.5"));
		String conf = read("dovecot/dovecot.conf");
		assertThat(conf.indexOf("/dovecot-webmail-master-sql.conf.ext")).isPositive()
			.isLessThan(conf.indexOf("/dovecot-master-sql.conf.ext"));
		assertThat(conf.indexOf("/dovecot-webmail-sql.conf.ext")).isPositive().isLessThan(conf.indexOf("/dovecot-sql.conf.ext"));
		assertThat(lines("dovecot/dovecot.conf")).contains("login_trusted_networks = 127.0.0.1/32 10.0.0.5");
		for (String file : List.of("dovecot/dovecot-webmail-sql.conf.ext", "dovecot/dovecot-webmail-master-sql.conf.ext")) {
			assertThat(read(file)).as(file)
				.contains("default_pass_scheme = SHA256.HEX", "'127.0.0.1/32,10.0.0.5' AS allow_real_nets", "'%s' = 'imap'",
						"credential_id::text = split_part('%w', '.', 1)");
		}
		assertThat(read("dovecot/dovecot-webmail-master-sql.conf.ext")).contains("FROM mailplane.webmail_access");
		assertThat(read("dovecot/dovecot-webmail-sql.conf.ext")).contains("FROM mailplane.webmail_logins");
		assertThat(read("dovecot/dovecot-webmail-sql.conf.ext")).contains("FROM mailplane.webmail_submitters")
			.contains("'%s' = 'smtp'");
		// the value lands in an SQL literal: nothing but addresses gets through
		assertThatThrownBy(() -> loopback("--webmail-nets", "127.0.0.1' OR '1'='1")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--webmail-nets");
	}

	@Test
	void theSqlFilesConnectAsTheMailPlaneLoginAndNothingElseHoldsItsPassword() throws IOException {
		write(loopback());
		String connect = "connect = host='db.internal' port=6543 dbname='maildb' user='mp_login' password='" + PASSWORD + "'";
		assertThat(lines("dovecot/dovecot-sql.conf.ext")).contains("driver = pgsql", connect);
		assertThat(lines("dovecot/dovecot-master-sql.conf.ext")).contains("driver = pgsql", connect);
		for (String map : List.of("pgsql-domains.cf", "pgsql-mailboxes.cf", "pgsql-aliases.cf", "pgsql-sender-logins.cf")) {
			assertThat(lines("postfix/" + map)).as(map)
				.contains("hosts = db.internal:6543", "dbname = maildb", "user = mp_login", "password = " + PASSWORD)
				.anyMatch(l -> l.startsWith("query = SELECT ") && l.contains("FROM mailplane."));
		}
		for (String file : List.of("dovecot/dovecot.conf", "dovecot/dovecot-acl", "postfix/main.cf", "postfix/master.cf")) {
			assertThat(read(file)).as(file).doesNotContain(PASSWORD);
		}
		assertThat(lines("dovecot/dovecot.conf")).contains("doveadm_api_key = " + API_KEY);
		for (String file : MailplaneConfigWriter.POSTFIX_FILES) {
			assertThat(read("postfix/" + file)).as(file).doesNotContain(API_KEY);
		}
	}

	@Test
	void theDefaultsListenEverywhereOnTheStandardPortsButDoveadmOnLoopback() throws IOException {
		write(options("--tls-cert", "/etc/ssl/mail/cert.pem", "--tls-key", "/etc/ssl/mail/key.pem"));
		assertThat(lines("dovecot/dovecot.conf")).contains("listen = *", "address = *", "port = 143", "port = 10024",
				"port = 10026", "port = 10027", "port = 10029", "mail_uid = 5000", "mail_gid = 5000")
			.containsSequence("inet_listener imap {", "address = *", "port = 143")
			.containsSequence("inet_listener http {", "address = 127.0.0.1", "port = 10029", "}");
		assertThat(lines("postfix/main.cf")).contains("inet_interfaces = all", "myhostname = localhost",
				"virtual_transport = lmtp:inet:127.0.0.1:10024", "smtpd_sasl_path = inet:127.0.0.1:10026");
		assertThat(lines("postfix/master.cf")).anyMatch(l -> l.matches("25 +inet .*smtpd"))
			.anyMatch(l -> l.matches("587 +inet .*smtpd"))
			.contains("-o smtpd_milters=inet:127.0.0.1:10028");
	}

	@Test
	void loopbackListensOnLoopbackOnlyDoveadmIncluded() throws IOException {
		write(options("--listen", "127.0.0.1", "--hostname", "mx.example.org", "--imap-port", "1143", "--smtp-port=2525",
				"--submission-port", "2587", "--lmtp-port", "3024", "--auth-port", "3026", "--quota-status-port", "3027",
				"--milter-port", "3028", "--doveadm-port", "3029", "--vmail-uid", "1234", "--vmail-gid", "4321"));
		List<String> dovecot = lines("dovecot/dovecot.conf");
		assertThat(dovecot).contains("listen = 127.0.0.1", "port = 1143", "mail_uid = 1234", "mail_gid = 4321",
				"first_valid_uid = 1234", "last_valid_uid = 1234")
			.doesNotContain("listen = *", "address = *")
			.containsSequence("inet_listener imap {", "address = 127.0.0.1", "port = 1143")
			.containsSequence("inet_listener lmtp {", "address = 127.0.0.1", "port = 3024")
			.containsSequence("inet_listener http {", "address = 127.0.0.1", "port = 3029", "}");
		assertThat(lines("postfix/main.cf")).contains("inet_interfaces = 127.0.0.1", "myhostname = mx.example.org",
				"virtual_transport = lmtp:inet:127.0.0.1:3024", "smtpd_sasl_path = inet:127.0.0.1:3026")
			.anyMatch(l -> l.contains("check_policy_service inet:127.0.0.1:3027"));
		assertThat(lines("postfix/master.cf")).anyMatch(l -> l.matches("127\\.0\\.0\\.1:2525 +inet .*smtpd"))
			.anyMatch(l -> l.matches("127\\.0\\.0\\.1:2587 +inet .*smtpd"))
			.contains("-o smtpd_milters=inet:127.0.0.1:3028")
			.noneMatch(l -> l.matches("25 +inet.*"));
	}

	@Test
	void aSpecificAddressIsWhereIMAPAndSMTPListenWhileDoveadmStaysOnLoopback() throws IOException {
		write(options("--listen", "192.0.2.10", "--tls-cert", "/etc/ssl/cert.pem", "--tls-key", "/etc/ssl/key.pem"));
		assertThat(lines("dovecot/dovecot.conf")).contains("listen = 192.0.2.10")
			.containsSequence("inet_listener imap {", "address = 192.0.2.10")
			.containsSequence("inet_listener http {", "address = 127.0.0.1", "port = 10029", "}")
			.containsSequence("inet_listener lmtp {", "address = 127.0.0.1");
		assertThat(lines("postfix/main.cf")).contains("inet_interfaces = 192.0.2.10");
		assertThat(lines("postfix/master.cf")).anyMatch(l -> l.matches("192\\.0\\.2\\.10:25 +inet .*smtpd"));
	}

	/** The app on another host reaches doveadm only when asked for, and then over TLS (the key is a bearer). */
	@Test
	void doveadmListensBeyondLoopbackOnlyWhenAskedAndThenOverTls() throws IOException {
		write(options("--listen", "192.0.2.10", "--doveadm-listen", "192.0.2.10", "--tls-cert", "/etc/ssl/cert.pem",
				"--tls-key", "/etc/ssl/key.pem"));
		assertThat(lines("dovecot/dovecot.conf"))
			.containsSequence("inet_listener http {", "address = 192.0.2.10", "port = 10029", "ssl = yes");
		assertThatThrownBy(() -> loopback("--doveadm-listen", "192.0.2.10")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--doveadm-listen 192.0.2.10")
			.hasMessageContaining("--tls-cert FILE --tls-key FILE");
		assertThat(loopback("--doveadm-listen", "127.0.0.1").doveadmOnLoopback()).isTrue();
	}

	/** Passwords and doveadm's key must not cross a network in the clear: no TLS, no listening beyond loopback. */
	@Test
	void aNonLoopbackListenWithoutACertificateIsRefused() {
		assertThatThrownBy(() -> options()).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--listen * (the default) takes sign-ins from other machines, which needs TLS:"
					+ " give --tls-cert FILE --tls-key FILE, or --listen 127.0.0.1 for this machine only");
		for (String address : List.of("*", "0.0.0.0", "192.0.2.10", "mail.example.com", "127.0.0.1.example.com", "::")) {
			assertThatThrownBy(() -> options("--listen", address)).as(address)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith("--listen " + address + " takes sign-ins from other machines");
		}
		for (String address : List.of("127.0.0.1", "127.0.0.2", "127.1.2.3", "localhost")) {
			assertThat(options("--listen", address).loopbackOnly()).as(address).isTrue();
		}
	}

	@Test
	void theConfigCommandRefusesThatWithANonZeroExitAndWritesNothing() throws IOException {
		var stdout = new java.io.ByteArrayOutputStream();
		var stderr = new java.io.ByteArrayOutputStream();
		int exit = new MailplaneCommand().run(new String[] { "config", "--out", out.toString(), "--listen", "0.0.0.0" },
				new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8),
				new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
		assertThat(exit).isNotZero();
		assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--listen 0.0.0.0").contains("--tls-cert");
		try (Stream<Path> files = Files.list(out)) {
			assertThat(files.toList()).isEmpty();
		}
	}

	/**
	 * MAILROOM_MAILPLANE_DATABASE_PASSWORD may be
	 * any password, but Dovecot's {@code connect} is a libpq keyword/value string, where a value
	 * with a space, a quote or a backslash must be quoted ({@code password='a b'}). Unquoted,
	 * libpq refuses the whole string ({@code missing "=" after "b"}) and no one can sign in.
	 */
	@Test
	void theDovecotConnectStringCarriesAnyPassword() throws IOException {
		for (String password : List.of("plain-Password_123", "with space", "it's", "back\\slash", "=equals=")) {
			new MailplaneConfigWriter(loopback(), DB, ROLE, password, API_KEY).write();
			String connect = lines("dovecot/dovecot-sql.conf.ext").stream()
				.filter(l -> l.startsWith("connect = "))
				.findFirst()
				.orElseThrow()
				.substring("connect = ".length());
			assertThat(libpqKeywords(connect)).as("%s as libpq reads it", connect)
				.containsEntry("host", "db.internal")
				.containsEntry("port", "6543")
				.containsEntry("dbname", "maildb")
				.containsEntry("user", ROLE)
				.containsEntry("password", password)
				.hasSize(5);
		}
	}

	/**
	 * A libpq connection string read as libpq does: {@code keyword = value} pairs separated by
	 * white space; a value is single-quoted to hold spaces, with \' and \\ escaped inside quotes
	 * and out. Throws as libpq does on a word without "=".
	 */
	private static java.util.Map<String, String> libpqKeywords(String conninfo) {
		java.util.Map<String, String> keywords = new java.util.LinkedHashMap<>();
		int i = 0;
		int n = conninfo.length();
		while (true) {
			while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
				i++;
			}
			if (i >= n) {
				return keywords;
			}
			int start = i;
			while (i < n && conninfo.charAt(i) != '=' && !Character.isWhitespace(conninfo.charAt(i))) {
				i++;
			}
			String keyword = conninfo.substring(start, i);
			while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
				i++;
			}
			if (i >= n || conninfo.charAt(i) != '=') {
				throw new IllegalArgumentException("missing \"=\" after \"" + keyword + "\" in connection info string");
			}
			i++;
			while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
				i++;
			}
			StringBuilder value = new StringBuilder();
			if (i < n && conninfo.charAt(i) == '\'') {
				i++;
				while (true) {
					if (i >= n) {
						throw new IllegalArgumentException("unterminated quoted string in connection info string");
					}
					char c = conninfo.charAt(i++);
					if (c == '\\' && i < n) {
						value.append(conninfo.charAt(i++));
					}
					else if (c == '\'') {
						break;
					}
					else {
						value.append(c);
					}
				}
			}
			else {
				while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
					char c = conninfo.charAt(i++);
					if (c == '\\' && i < n) {
						value.append(conninfo.charAt(i++));
					}
					else {
						value.append(c);
					}
				}
			}
			keywords.put(keyword, value.toString());
		}
	}

	@Test
	void withACertificateTlsIsRequiredForSignIns() throws IOException {
		write(options("--tls-cert", "/etc/ssl/mail/cert.pem", "--tls-key=/etc/ssl/mail/key.pem"));
		assertThat(lines("dovecot/dovecot.conf")).contains("ssl = required", "ssl_cert = </etc/ssl/mail/cert.pem",
				"ssl_key = </etc/ssl/mail/key.pem", "disable_plaintext_auth = yes").doesNotContain("ssl = no");
		assertThat(lines("postfix/main.cf")).contains("smtpd_tls_cert_file = /etc/ssl/mail/cert.pem",
				"smtpd_tls_key_file = /etc/ssl/mail/key.pem", "smtpd_tls_security_level = may")
			.doesNotContain("smtpd_tls_security_level = none");
		assertThat(lines("postfix/master.cf")).contains("-o smtpd_tls_auth_only=yes");
	}

	@Test
	void withoutACertificateItIsPlaintextAndSaysSo() throws IOException {
		write(loopback());
		assertThat(lines("dovecot/dovecot.conf")).contains("ssl = no", "disable_plaintext_auth = no")
			.noneMatch(l -> l.startsWith("ssl_cert") || l.startsWith("ssl_key") || l.equals("ssl = required"));
		assertThat(read("dovecot/dovecot.conf")).contains("# no TLS certificate given (--tls-cert/--tls-key)");
		assertThat(lines("postfix/main.cf")).contains("smtpd_tls_security_level = none")
			.noneMatch(l -> l.startsWith("smtpd_tls_cert_file") || l.startsWith("smtpd_tls_key_file"));
		assertThat(lines("postfix/master.cf")).contains("-o smtpd_tls_auth_only=no");
	}

	@Test
	void theLookupQueriesAreTheOnesOnTheMailplaneViews() throws IOException {
		write(loopback("--mail-dir", "/srv/mail"));
		assertThat(lines("postfix/pgsql-domains.cf")).contains("query = SELECT domain FROM mailplane.domains WHERE domain = '%s'");
		assertThat(lines("postfix/pgsql-mailboxes.cf"))
			.contains("query = SELECT address FROM mailplane.mailboxes WHERE address = '%s'");
		assertThat(lines("postfix/pgsql-sender-logins.cf"))
			.contains("query = SELECT login FROM mailplane.sender_logins WHERE address = '%s'");
		assertThat(lines("postfix/pgsql-aliases.cf"))
			.contains("query = SELECT destination FROM mailplane.aliases WHERE local_part = '%u' AND domain = '%d'");
		assertThat(read("dovecot/dovecot-sql.conf.ext")).contains("'/srv/mail/' || mailbox_id AS home")
			.contains("FROM mailplane.passdb").contains("FROM mailplane.userdb");
		assertThat(read("dovecot/dovecot-master-sql.conf.ext")).contains("FROM mailplane.access");
	}

	// ---- who may read the files ----

	private static final java.util.Set<String> SECRETS = java.util.Set.of("dovecot/dovecot.conf",
			"dovecot/dovecot-sql.conf.ext", "dovecot/dovecot-master-sql.conf.ext", "dovecot/dovecot-webmail-sql.conf.ext",
			"dovecot/dovecot-webmail-master-sql.conf.ext", "postfix/pgsql-domains.cf",
			"postfix/pgsql-mailboxes.cf", "postfix/pgsql-aliases.cf", "postfix/pgsql-sender-logins.cf");

	private String mode(String file) throws IOException {
		return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(file)));
	}

	private java.nio.file.attribute.GroupPrincipal group(String file) throws IOException {
		return Files.readAttributes(out.resolve(file), java.nio.file.attribute.PosixFileAttributes.class).group();
	}

	/** A group this process may give its files: the one the output directory already has. */
	private java.nio.file.attribute.GroupPrincipal ownGroup() throws IOException {
		return Files.readAttributes(out, java.nio.file.attribute.PosixFileAttributes.class).group();
	}

	@Test
	void everyFileHoldingASecretIsReadableByItsServersGroupOnly() throws IOException {
		var dovecotGroup = ownGroup();
		List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
		new MailplaneConfigWriter(loopback(), DB, ROLE, PASSWORD, API_KEY, name -> {
			asked.add(name);
			// Dovecot's group exists here, Postfix's does not
			return name.equals("dovecot") ? java.util.Optional.of(dovecotGroup) : java.util.Optional.empty();
		}).write();

		assertThat(java.util.Set.copyOf(MailplaneConfigWriter.SECRET_GROUPS.keySet())).isEqualTo(SECRETS);
		for (String file : SECRETS) {
			if (file.startsWith("dovecot/")) {
				assertThat(mode(file)).as(file).isEqualTo("rw-r-----");
				assertThat(group(file)).as(file).isEqualTo(dovecotGroup);
			}
			else {
				assertThat(mode(file)).as("%s without a postfix group: owner only", file).isEqualTo("rw-------");
			}
		}
		assertThat(asked).containsOnly("dovecot", "postfix").contains("dovecot", "postfix");
		for (String file : List.of("dovecot/dovecot-acl", "postfix/main.cf", "postfix/master.cf")) {
			assertThat(mode(file)).as("%s holds no secret", file).isEqualTo("rw-r--r--");
			assertThat(read(file)).doesNotContain(PASSWORD).doesNotContain(API_KEY);
		}
		for (String file : SECRETS) {
			assertThat(read(file)).as(file).containsAnyOf(PASSWORD, API_KEY);
		}
	}

	@Test
	void withoutTheServersGroupsSecretsAreOwnerOnlyNeverWorldReadable() throws IOException {
		new MailplaneConfigWriter(loopback(), DB, ROLE, PASSWORD, API_KEY, name -> java.util.Optional.empty()).write();
		for (String file : SECRETS) {
			assertThat(mode(file)).as(file).isEqualTo("rw-------");
		}
	}

	/** The system's own groups: dovecot and postfix where Debian's packages made them, else owner only. */
	@Test
	void onThisMachineSecretsGoToDovecotAndPostfixOrStayOwnerOnly() throws IOException {
		write(loopback());
		var lookup = out.getFileSystem().getUserPrincipalLookupService();
		for (String file : SECRETS) {
			String server = file.startsWith("dovecot/") ? "dovecot" : "postfix";
			java.nio.file.attribute.GroupPrincipal serverGroup;
			try {
				serverGroup = lookup.lookupPrincipalByGroupName(server);
			}
			catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
				serverGroup = null;
			}
			if (serverGroup != null && group(file).equals(serverGroup)) {
				assertThat(mode(file)).as(file).isEqualTo("rw-r-----");
			}
			else {
				assertThat(mode(file)).as("%s where %s's group is missing or cannot be given", file, server)
					.isEqualTo("rw-------");
			}
		}
	}

	/**
	 * No moment where a secret is readable by others: a file is written under a temporary name
	 * created owner-only, and only then given its group and mode and renamed into place; an old
	 * world-readable file is replaced, not reused.
	 */
	@Test
	void secretsAreNeverReadableByOthersWhileTheyAreWritten() throws IOException {
		Files.createDirectories(out.resolve("dovecot"));
		Path old = Files.writeString(out.resolve("dovecot/dovecot-sql.conf.ext"), "old");
		Files.setPosixFilePermissions(old, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
		var group = ownGroup();
		List<String> seen = new ArrayList<>();
		new MailplaneConfigWriter(loopback(), DB, ROLE, PASSWORD, API_KEY, name -> {
			// called once a secret's text is on disk, before its group and mode are set
			try (Stream<Path> files = Files.walk(out)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					String text = Files.readString(file);
					if (text.contains(PASSWORD) || text.contains(API_KEY)) {
						String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
						assertThat(mode).as("%s while being written", file).matches("rw-(r--|---)---");
						seen.add(out.relativize(file).toString());
					}
				}
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			return java.util.Optional.of(group);
		}).write();
		assertThat(seen).as("the temporary files were checked").anyMatch(f -> f.startsWith("dovecot/.dovecot.conf"));
		assertThat(mode("dovecot/dovecot-sql.conf.ext")).isEqualTo("rw-r-----");
		assertThat(read("dovecot/dovecot-sql.conf.ext")).contains(PASSWORD);
		try (Stream<Path> all = Files.walk(out)) {
			assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
				.as("no temporary file is left").noneMatch(name -> name.startsWith("."));
		}
	}

	// ---- the options ----

	@Test
	void theDefaults() {
		MailplaneOptions o = options("--tls-cert", "/etc/ssl/cert.pem", "--tls-key", "/etc/ssl/key.pem");
		assertThat(o.out()).isEqualTo(out.toAbsolutePath().normalize());
		assertThat(o.listen()).isEqualTo("*");
		assertThat(o.hostname()).isEqualTo("localhost");
		assertThat(List.of(o.imapPort(), o.smtpPort(), o.submissionPort(), o.lmtpPort(), o.authPort(), o.quotaStatusPort(),
				o.milterPort(), o.doveadmPort())).containsExactly(143, 25, 587, 10024, 10026, 10027, 10028, 10029);
		assertThat(o.mailDir()).isEqualTo(Path.of("/var/vmail"));
		assertThat(List.of(o.runDir(), o.logDir(), o.spoolDir(), o.stateDir())).containsExactly(o.out().resolve("run"),
				o.out().resolve("log"), o.out().resolve("spool"), o.out().resolve("state"));
		assertThat(o.vmailUid()).isEqualTo(5000);
		assertThat(o.vmailGid()).isEqualTo(5000);
		assertThat(o.tls()).isTrue();
		assertThat(o.loopbackOnly()).isFalse();
		assertThat(o.doveadmListen()).isEqualTo("127.0.0.1");
		assertThat(o.doveadmOnLoopback()).isTrue();
	}

	@Test
	void bothSpellingsOfAnOptionWork() {
		MailplaneOptions spaced = MailplaneOptions.parse(new String[] { "--out", "relative/dir", "--listen", "127.0.0.1",
				"--imap-port", "1143", "--mail-dir", "/srv/../srv/mail", "--tls-cert", "c.pem", "--tls-key", "k.pem" });
		MailplaneOptions equals = MailplaneOptions.parse(new String[] { "--out=relative/dir", "--listen=127.0.0.1",
				"--imap-port=1143", "--mail-dir=/srv/../srv/mail", "--tls-cert=c.pem", "--tls-key=k.pem" });
		assertThat(equals).isEqualTo(spaced);
		assertThat(spaced.out()).isAbsolute().isEqualTo(Path.of("relative/dir").toAbsolutePath().normalize());
		assertThat(spaced.imapPort()).isEqualTo(1143);
		assertThat(spaced.mailDir()).isEqualTo(Path.of("/srv/mail"));
		assertThat(spaced.loopbackOnly()).isTrue();
		assertThat(spaced.tls()).isTrue();
		assertThat(MailplaneOptions.parse(new String[] { "--out", "x", "--listen=localhost" }).loopbackOnly()).isTrue();
		assertThat(MailplaneOptions.parse(new String[] { "--out", "x", "--listen=127.0.0.1", "--hostname=a=b" }).hostname())
			.as("only the first = splits").isEqualTo("a=b");
	}

	@Test
	void unknownOptionsAreRefusedNotIgnored() {
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--imap-prot", "1143" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("Unknown option --imap-prot")
			.hasMessageContaining("imap-port");
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--ssl=yes" }))
			.hasMessageStartingWith("Unknown option --ssl");
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "stray" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Unexpected argument: stray");
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--listen" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--listen needs a value");
	}

	@Test
	void theOutputDirectoryIsRequired() {
		for (String[] args : List.of(new String[0], new String[] { "--listen", "127.0.0.1" })) {
			assertThatThrownBy(() -> MailplaneOptions.parse(args)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("--out DIR is required");
		}
	}

	@Test
	void portsAndIdsMustBeNumbersInRange() {
		for (String port : List.of("0", "70000", "65536", "-1")) {
			assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--imap-port", port })).as(port)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("--imap-port must be between 1 and 65535");
		}
		for (String port : List.of("abc", "", "25.0", "0x19", "99999999999")) {
			assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--smtp-port=" + port })).as(port)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("--smtp-port must be a number");
		}
		assertThat(MailplaneOptions.parse(new String[] { "--out", "x", "--listen", "localhost", "--doveadm-port", "1" })
			.doveadmPort()).isEqualTo(1);
		assertThat(MailplaneOptions.parse(new String[] { "--out", "x", "--listen", "localhost", "--doveadm-port", "65535" })
			.doveadmPort())
			.isEqualTo(65535);
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--vmail-uid", "0" }))
			.as("mail never runs as root")
			.hasMessage("--vmail-uid must be between 1 and 2147483647");
	}

	/**
	 * Half a certificate (a cert without its key, or a
	 * key without its cert) would silently write a plaintext configuration (ssl = no, plaintext
	 * logins), even on every address.
	 */
	@Test
	void halfACertificateIsRefusedRatherThanWritingPlaintext() {
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--tls-cert", "/etc/ssl/cert.pem" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--tls-key");
		assertThatThrownBy(() -> MailplaneOptions.parse(new String[] { "--out", "x", "--tls-key", "/etc/ssl/key.pem" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--tls-cert");
	}

	// ---- the servers' own parsers, where installed ----

	@Test
	void doveconfParsesTheDovecotConfiguration() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/doveconf")), "doveconf is not installed");
		write(options("--listen", "127.0.0.1"));
		assertTool(List.of("/usr/bin/doveconf", "-c", out.resolve("dovecot/dovecot.conf").toString(), "-n"),
				"listen = 127.0.0.1");
	}

	@Test
	void doveconfParsesTheTlsVariantToo() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/doveconf")), "doveconf is not installed");
		Path tls = Files.createDirectories(out.resolve("tls"));
		Path cert = Files.writeString(tls.resolve("cert.pem"),
				"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
		Path key = Files.writeString(tls.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
		write(options("--tls-cert", cert.toString(), "--tls-key", key.toString()));
		assertTool(List.of("/usr/bin/doveconf", "-c", out.resolve("dovecot/dovecot.conf").toString(), "-n"),
				"ssl = required");
	}

	@Test
	void postconfParsesThePostfixConfiguration() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/postconf")), "postconf is not installed");
		Path cert = Files.writeString(out.resolve("cert.pem"), "not read by postconf");
		write(options("--tls-cert", cert.toString(), "--tls-key", cert.toString()));
		String dir = out.resolve("postfix").toString();
		assertTool(List.of("/usr/sbin/postconf", "-c", dir, "-n"), "virtual_alias_maps = proxy:pgsql:" + dir);
		assertTool(List.of("/usr/sbin/postconf", "-c", dir, "-M"), "submission");
	}

	/** Runs the tool: it exits 0, warns of nothing and prints {@code expected}. */
	private static void assertTool(List<String> command, String expected) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		assertThat(process.exitValue()).as("%s exit code; output:%n%s", command, output).isZero();
		assertThat(output).as(String.join(" ", command)).doesNotContainIgnoringCase("warning").contains(expected);
	}
}
