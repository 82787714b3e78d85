package dev.mailroom.mailplane;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.Subcommand;
import dev.mailroom.platform.database.DatabaseCoordinates;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code java -jar mailroom.jar mailplane config --out DIR [options]}: writes the Postfix and
 * Dovecot configuration for this installation's database. It reads the same settings as the
 * server (MAILROOM_* variables, the data dir) in a small context of its own: no web server, no
 * database connection, so it works whether the app runs or not.
 */
public final class MailplaneCommand implements Subcommand {

	@Override
	public String name() {
		return "mailplane";
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(MailroomSettings.class)
	@Import(ServerSecrets.class)
	static class SettingsOnly {
	}

	@Override
	public int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length > 0 && args[0].equals("milter")) {
			return milter(Arrays.copyOfRange(args, 1, args.length), out, err);
		}
		if (args.length == 0 || !args[0].equals("config")) {
			err.println("Usage: mailroom mailplane milter [--listen ADDRESS] [--port N]");
			err.println("       mailroom mailplane config --out DIR [--listen ADDRESS] [--hostname NAME]");
			err.println("         [--imap-port N] [--smtp-port N] [--submission-port N] [--mail-dir DIR]");
			err.println("         [--lmtp-port N] [--auth-port N] [--quota-status-port N] [--milter-port N]");
			err.println("         [--doveadm-port N] [--doveadm-listen ADDRESS] [--webmail-nets CIDRS] [--vmail-uid N] [--vmail-gid N]");
			err.println("         [--tls-cert FILE --tls-key FILE] (required unless --listen is a loopback address)");
			return 2;
		}
		MailplaneOptions options;
		try {
			options = MailplaneOptions.parse(Arrays.copyOfRange(args, 1, args.length));
		}
		catch (IllegalArgumentException e) {
			err.println(e.getMessage());
			return 2;
		}
		try {
			Installation installation = Installation.load();
			var writer = new MailplaneConfigWriter(options, installation.database(), installation.role(),
					installation.password(), installation.doveadmApiKey());
			for (Path file : writer.write()) {
				var attributes = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
				out.println("wrote " + file + " (" + java.nio.file.attribute.PosixFilePermissions.toString(attributes.permissions())
						+ " " + attributes.owner().getName() + ":" + attributes.group().getName() + ")");
			}
			out.println();
			out.println("Point the app at doveadm: MAILROOM_MAILPLANE_DOVEADM_URL="
					+ (options.doveadmOnLoopback() ? "http://127.0.0.1" : "https://" + options.doveadmListen()) + ":"
					+ options.doveadmPort() + " (the API key is shared through the data dir or MAILROOM_MAILPLANE_DOVEADM_API_KEY)");
			out.println("Point webmail at IMAP: MAILROOM_WEBMAIL_IMAP_HOST="
					+ (options.listen().equals("*") ? options.hostname() : options.listen()) + " MAILROOM_WEBMAIL_IMAP_PORT="
					+ options.imapPort() + " (Dovecot takes its credentials only from " + options.webmailNets() + ")");
			return 0;
		}
		catch (Exception e) {
			err.println("Could not write the mail plane configuration: " + e.getMessage());
			return 1;
		}
	}

	/**
	 * Serves the header From: milter until the process is stopped. It reads the views with the mail
	 * plane's own read-only login, like Postfix, so it keeps working while the app restarts.
	 */
	private static int milter(String[] args, PrintStream out, PrintStream err) {
		String listen;
		int port;
		try {
			Map<String, String> given = MailplaneOptions.pairs(args, Set.of("listen", "port"));
			listen = given.getOrDefault("listen", "127.0.0.1");
			port = MailplaneOptions.port(given, "port", 10028);
		}
		catch (IllegalArgumentException e) {
			err.println(e.getMessage());
			return 2;
		}
		try {
			Installation installation = Installation.load();
			try (var server = MilterServer.start(new java.net.InetSocketAddress(listen, port), installation.database(),
					installation.role(), installation.password())) {
				out.println("milter listening on " + listen + ":" + port);
				server.awaitTermination();
			}
			return 0;
		}
		catch (Exception e) {
			err.println("The milter stopped: " + e.getMessage());
			return 1;
		}
	}

	/** This installation as the mail plane sees it: its database, the mail plane login, doveadm's key. */
	private record Installation(DatabaseCoordinates database, String role, String password, String doveadmApiKey) {

		static Installation load() {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SettingsOnly.class)
				.web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.properties("logging.level.root=warn", "spring.main.register-shutdown-hook=false")
				.run()) {
				MailroomSettings settings = context.getBean(MailroomSettings.class);
				ServerSecrets secrets = context.getBean(ServerSecrets.class);
				return new Installation(DatabaseCoordinates.of(settings), settings.mailplane().databaseRole(),
						secrets.mailplaneDatabasePassword(), secrets.doveadmApiKey());
			}
		}
	}
}
