package dev.mailroom.mailplane;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.mailroom.MailroomTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The application connected to the real mail plane of the e2e suite ({@link MailPlane}): doveadm's
 * API and webmail's IMAP. Every e2e class uses exactly this, so they share one context and one
 * database, the one the mail plane reads.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@MailroomTest
@TestPropertySource(properties = { "mailroom.mailplane.doveadm-url=" + MailPlane.DOVEADM_URL,
		"mailroom.webmail.imap-host=" + MailPlane.HOST, "mailroom.webmail.imap-port=" + MailPlane.IMAP,
		"mailroom.webmail.smtp-port=" + MailPlane.SUBMISSION })
public @interface MailPlaneTest {
}
