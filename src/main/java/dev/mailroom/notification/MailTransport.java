package dev.mailroom.notification;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;

import dev.mailroom.platform.MailroomSettings;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/** Where delivered messages go: an SMTP relay, or nowhere but the dev mail viewer. */
interface MailTransport {

	String name();

	/** Delivers or throws; {@code messageId} makes a rare second delivery recognisable as the same message. */
	void send(String recipient, EmailMessage message, UUID messageId) throws Exception;

	static MailTransport from(MailroomSettings settings) {
		MailroomSettings.Smtp smtp = settings.smtp();
		if (smtp == null || !MailroomSettings.isSet(smtp.host())) {
			return new MailTransport() {
				@Override
				public String name() {
					return "dev-viewer";
				}

				@Override
				public void send(String recipient, EmailMessage message, UUID messageId) {
					// kept in the outbox; the dev mail viewer renders it on demand
				}
			};
		}
		return new Smtp(settings);
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
		public void send(String recipient, EmailMessage message, UUID messageId) throws Exception {
			MimeMessage mime = new MimeMessage(sender.getSession()) {
				@Override
				protected void updateMessageID() throws jakarta.mail.MessagingException {
					setHeader("Message-ID", "<" + messageId + "@mailroom>");
				}
			};
			MimeMessageHelper helper = new MimeMessageHelper(mime, true, StandardCharsets.UTF_8.name());
			helper.setFrom(from);
			helper.setTo(new InternetAddress(recipient, true));
			helper.setSubject(message.subject());
			helper.setText(message.text(), message.html());
			sender.send(mime);
		}
	}
}
