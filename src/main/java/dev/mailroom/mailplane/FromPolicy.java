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

	private static final String NOT_AN_ADDRESS = "553 5.7.1 The From: header must hold one or more addresses and nothing else";

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
				addresses = InternetAddress.parseHeader(header, true);
			}
			catch (AddressException e) {
				return Optional.of(NOT_AN_ADDRESS);
			}
			// the parser drops text it cannot place ("<alice@x> ceo@x" → alice@x), which a mail
			// client may still show as the sender: every address in the header must be one it parsed
			if (addresses.length == 0 || addresses.length != addressSigns(header)) {
				return Optional.of(NOT_AN_ADDRESS);
			}
			for (InternetAddress address : addresses) {
				String from = address.getAddress() == null ? "" : address.getAddress().strip().toLowerCase(Locale.ROOT);
				if (from.isEmpty() || !maySendAs(who, from)) {
					return Optional.of("553 5.7.1 <" + printable(from) + ">: Sender address in From: not owned by user "
							+ printable(who));
				}
			}
		}
		return Optional.empty();
	}

	/** Like Postfix's sender login lookup: the address, then without its +extension. */
	private boolean maySendAs(String login, String address) {
		if (senderLogins.maySendAs(login, address)) {
			return true;
		}
		int at = address.lastIndexOf('@');
		int plus = address.indexOf('+');
		return plus > 0 && plus < at && senderLogins.maySendAs(login, address.substring(0, plus) + address.substring(at));
	}

	/** How many '@' the header has outside quoted strings and comments: one per address. */
	static int addressSigns(String header) {
		int signs = 0;
		int comment = 0;
		boolean quoted = false;
		for (int i = 0; i < header.length(); i++) {
			char c = header.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (quoted) {
				quoted = c != '"';
			}
			else if (comment > 0) {
				comment += c == '(' ? 1 : c == ')' ? -1 : 0;
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == '(') {
				comment = 1;
			}
			else if (c == '@') {
				signs++;
			}
		}
		return signs;
	}

	/** Keeps the reply a single line of printable ASCII whatever the header held. */
	private static String printable(String value) {
		String cleaned = value.replaceAll("[^\\x21-\\x7e]", "?");
		return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
	}
}
