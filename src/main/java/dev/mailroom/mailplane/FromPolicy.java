package dev.mailroom.mailplane;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * The header From: rule Postfix cannot check by itself (it checks only the envelope sender): a
 * person who signed in to submission may put in From: only addresses they may send as, the same
 * {@code mailplane.sender_logins} rule as the envelope. Mail that arrives without SASL (inbound
 * from the Internet) is not this rule's business.
 */
final class FromPolicy {

	/** Whether {@code login} may send as {@code address}; both lower-case. */
	interface SenderLogins {

		boolean maySendAs(String login, String address);
	}

	private final SenderLogins senderLogins;

	FromPolicy(SenderLogins senderLogins) {
		this.senderLogins = senderLogins;
	}

	/** Empty when the message may go on, else the SMTP reply to refuse it with. */
	Optional<String> check(String login, List<String> fromHeaders) {
		if (login == null || login.isBlank()) {
			return Optional.empty();
		}
		String who = login.strip().toLowerCase(Locale.ROOT);
		if (fromHeaders.size() > 1) {
			return Optional.of("553 5.7.1 More than one From: header");
		}
		for (String header : fromHeaders) {
			InternetAddress[] addresses;
			try {
				addresses = InternetAddress.parseHeader(header, false);
			}
			catch (AddressException e) {
				return Optional.of("553 5.7.1 The From: header is not a valid address");
			}
			for (InternetAddress address : addresses) {
				String from = address.getAddress() == null ? "" : address.getAddress().strip().toLowerCase(Locale.ROOT);
				if (from.isEmpty() || !senderLogins.maySendAs(who, from)) {
					return Optional.of("553 5.7.1 <" + printable(from) + ">: Sender address in From: not owned by user "
							+ printable(who));
				}
			}
		}
		return Optional.empty();
	}

	/** Keeps the reply a single line of printable ASCII whatever the header held. */
	private static String printable(String value) {
		String cleaned = value.replaceAll("[^\\x21-\\x7e]", "?");
		return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
	}
}
