package dev.mailroom.notification;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/** Where delivered messages go: an SMTP relay, or nowhere but the dev mail viewer. */
interface MailTransport {

	/**
	 * A rendered message on its way, with the outbox id that names it and its organization (null
	 * for an account email: sign-up, "account exists", sign-in link).
	 */
	record Outgoing(UUID id, UUID orgId, String recipient, EmailMessage message) {
	}

	String name();

	/**
	 * Delivers the messages over one connection where the transport has connections; returns the
	 * ones that failed with why (the others were accepted).
	 */
	Map<UUID, Exception> sendAll(List<Outgoing> messages);

	static MailTransport from(MailroomSettings settings) {
		MailroomSettings.Smtp smtp = settings.smtp();
		if (smtp == null || !MailroomSettings.isSet(smtp.host())) {
			return new DevViewer();
		}
		return new Smtp(settings);
	}

	/**
	 * No relay: messages stay in the outbox for the dev mail viewer, which shows an organization's
	 * admins their organization's messages only. An account email belongs to no organization (or,
	 * an ownership invitation, to one its recipient is not in yet), so the viewer shows it to nobody
	 * who should read it: every kept message's links are printed in the console log, one line each,
	 * for the operator who runs the server. Only here: with a relay links are secrets, never logged.
	 */
	final class DevViewer implements MailTransport {

		private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MailTransport.class);

		@Override
		public String name() {
			return "dev-viewer";
		}

		@Override
		public Map<UUID, Exception> sendAll(List<Outgoing> messages) {
			for (Outgoing outgoing : messages) {
				List<String> links = outgoing.message().links();
				log.info("No SMTP relay, so this email was kept, not sent: to {}, \"{}\", {}", outgoing.recipient(),
						outgoing.message().subject(), links.isEmpty() ? "no link" : "link " + String.join(" ", links));
			}
			return Map.of();
		}
	}

	/** Angus Mail through Spring's sender, configured from {@code MAILROOM_SMTP_*}. */
	final class Smtp implements MailTransport {

		private final JavaMailSenderImpl sender = new JavaMailSenderImpl();
		private final InternetAddress from;

		Smtp(MailroomSettings settings) {
			MailroomSettings.Smtp smtp = settings.smtp();
			sender.setHost(smtp.host());
			sender.setPort(smtp.port());
			sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
			if (MailroomSettings.isSet(smtp.username())) {
				sender.setUsername(smtp.username());
				sender.setPassword(smtp.password());
			}
			Properties properties = sender.getJavaMailProperties();
			properties.put("mail.smtp.auth", String.valueOf(MailroomSettings.isSet(smtp.username())));
			properties.put("mail.smtp.starttls.enable", String.valueOf(smtp.starttls()));
			properties.put("mail.smtp.connectiontimeout", "10000");
			properties.put("mail.smtp.timeout", "20000");
			properties.put("mail.smtp.writetimeout", "20000");
			try {
				this.from = new InternetAddress(settings.mailFrom(), true);
			}
			catch (jakarta.mail.internet.AddressException e) {
				throw new IllegalArgumentException("MAILROOM_MAIL_FROM is not a valid address: " + settings.mailFrom(), e);
			}
		}

		@Override
		public String name() {
			return "smtp";
		}

		@Override
		public Map<UUID, Exception> sendAll(List<Outgoing> messages) {
			Map<UUID, Exception> failed = new HashMap<>();
			Map<MimeMessage, UUID> ids = new java.util.IdentityHashMap<>();
			for (Outgoing outgoing : messages) {
				try {
					ids.put(mime(outgoing), outgoing.id());
				}
				catch (MessagingException | RuntimeException e) {
					failed.put(outgoing.id(), e);
				}
			}
			if (ids.isEmpty()) {
				return failed;
			}
			try {
				// one connection for the whole batch
				sender.send(ids.keySet().toArray(MimeMessage[]::new));
			}
			catch (MailSendException e) {
				if (e.getFailedMessages().isEmpty()) {
					ids.values().forEach(id -> failed.put(id, e));
				}
				e.getFailedMessages().forEach((message, cause) -> failed.put(ids.get(message), cause));
			}
			catch (RuntimeException e) {
				ids.values().forEach(id -> failed.put(id, e));
			}
			return failed;
		}

		private MimeMessage mime(Outgoing outgoing) throws MessagingException {
			MimeMessage mime = new MimeMessage(sender.getSession()) {
				@Override
				protected void updateMessageID() throws MessagingException {
					setHeader("Message-ID", "<" + outgoing.id() + "@mailroom>");
				}
			};
			MimeMessageHelper helper = new MimeMessageHelper(mime, true, StandardCharsets.UTF_8.name());
			helper.setFrom(from);
			helper.setTo(new InternetAddress(outgoing.recipient(), true));
			helper.setSubject(outgoing.message().subject());
			helper.setText(outgoing.message().text(), outgoing.message().html());
			return mime;
		}
	}
}
