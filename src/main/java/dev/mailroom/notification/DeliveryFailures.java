package dev.mailroom.notification;

import java.io.IOException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import org.springframework.mail.MailAuthenticationException;

/**
 * What a tenant is told about a failed delivery: one of a few fixed sentences. The relay's own
 * reply (host names, policy texts, addresses of other systems) stays in the logs: it describes
 * the operator's infrastructure, not anything the tenant can act on.
 */
final class DeliveryFailures {

	static final String REFUSED = "The mail server refused the message";
	static final String RECIPIENT_REFUSED = "The mail server refused the recipient address";
	static final String DEFERRED = "The mail server deferred the message for now";
	static final String UNREACHABLE = "The mail server is temporarily unreachable";
	static final String RELAY_LOGIN = "The mail server refused this installation's sign-in (the operator must check the relay settings)";
	static final String NOT_RENDERED = "The message could not be prepared";
	static final String UNKNOWN = "The mail server did not accept the message";

	private DeliveryFailures() {
	}

	/** The sentence for {@code failure}, judged by the exception and its causes. */
	static String describe(Throwable failure) {
		for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
			if (e instanceof AuthenticationFailedException || e instanceof MailAuthenticationException) {
				return RELAY_LOGIN;
			}
			int code = replyCode(e);
			if (code > 0 && e.getClass().getSimpleName().equals("SMTPAddressFailedException")) {
				return code >= 500 ? RECIPIENT_REFUSED : DEFERRED;
			}
			if (code >= 500) {
				return REFUSED;
			}
			if (code >= 400) {
				return DEFERRED;
			}
			if (e instanceof AddressException) {
				return RECIPIENT_REFUSED;
			}
			if (e instanceof IOException || e.getClass().getSimpleName().equals("MailConnectException")) {
				return UNREACHABLE;
			}
			if (e instanceof SendFailedException sendFailed && sendFailed.getNextException() != null
					&& sendFailed.getNextException() != e) {
				String next = describe(sendFailed.getNextException());
				if (!next.equals(UNKNOWN)) {
					return next;
				}
			}
		}
		return UNKNOWN;
	}

	/**
	 * The SMTP reply code of Angus Mail's {@code SMTPSendFailedException} / {@code
	 * SMTPAddressFailedException} (Angus is a runtime dependency only, so no compile-time types).
	 */
	private static int replyCode(Throwable e) {
		if (!e.getClass().getName().startsWith("org.eclipse.angus.mail.smtp.")) {
			return -1;
		}
		try {
			return (Integer) e.getClass().getMethod("getReturnCode").invoke(e);
		}
		catch (ReflectiveOperationException | ClassCastException notThere) {
			return -1;
		}
	}

	/** The relay's reply for the logs: the exception's first line and those of its causes. */
	static String detail(Throwable failure) {
		StringBuilder detail = new StringBuilder();
		int depth = 0;
		for (Throwable e = failure; e != null && depth < 4; e = e.getCause() == e ? null : e.getCause(), depth++) {
			if (!detail.isEmpty()) {
				detail.append(" <- ");
			}
			detail.append(e.getClass().getSimpleName())
				.append(": ")
				.append(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
		}
		return detail.toString();
	}
}
