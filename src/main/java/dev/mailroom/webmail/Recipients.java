package dev.mailroom.webmail;

import java.util.ArrayList;
import java.util.List;

import dev.mailroom.platform.MailroomException;
import dev.mailroom.webmail.WebmailViews.Draft;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** A message's recipients as checked before sending: To, Cc and Bcc, each address parsed strictly. */
record Recipients(InternetAddress[] to, InternetAddress[] cc, InternetAddress[] bcc) {

	static Recipients of(Draft draft) {
		return new Recipients(addresses("to", draft.to()), addresses("cc", draft.cc()), addresses("bcc", draft.bcc()));
	}

	int count() {
		return to.length + cc.length + bcc.length;
	}

	/** "a@x, Name <b@y>; c@z" → addresses, each checked; 400 {@code invalid_address} names the bad one. */
	static InternetAddress[] addresses(String field, String value) {
		if (value == null || value.isBlank()) {
			return new InternetAddress[0];
		}
		List<InternetAddress> result = new ArrayList<>();
		for (String piece : splitAddresses(value)) {
			if (piece.isBlank()) {
				continue;
			}
			try {
				InternetAddress[] parsed = InternetAddress.parse(piece.strip(), true);
				for (InternetAddress address : parsed) {
					address.validate();
					if (address.getAddress().indexOf('@') < 1 || address.getAddress().lastIndexOf('.') < address.getAddress().indexOf('@')) {
						throw new AddressException("no domain");
					}
					result.add(address);
				}
			}
			catch (AddressException e) {
				throw MailroomException.invalid(field, "invalid_address",
						"“" + Composer.shorten(piece.strip()) + "” is not an email address");
			}
		}
		return result.toArray(InternetAddress[]::new);
	}

	/** Splits on commas and semicolons outside quotes and angle brackets. */
	private static List<String> splitAddresses(String value) {
		List<String> pieces = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		boolean quoted = false;
		int angle = 0;
		for (char c : value.toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && c == '<') {
				angle++;
			}
			else if (!quoted && c == '>' && angle > 0) {
				angle--;
			}
			if (!quoted && angle == 0 && (c == ',' || c == ';')) {
				pieces.add(current.toString());
				current.setLength(0);
			}
			else {
				current.append(c);
			}
		}
		pieces.add(current.toString());
		return pieces;
	}
}
