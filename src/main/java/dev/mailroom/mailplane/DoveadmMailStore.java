package dev.mailroom.mailplane;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.mailbox.MailStore;
import tools.jackson.databind.JsonNode;

/**
 * The mail data as Dovecot keeps it: storage use from the quota plugin ({@code quota get}: the
 * count backend, kilobytes), and the purge's wipe (every message expunged, every folder but the
 * INBOX deleted). A user doveadm does not know has no data, which is not an error for either.
 */
class DoveadmMailStore implements MailStore {

	/** The userdb name of a purged mailbox's home while its wipe is pending (V8's mailplane.userdb). */
	static String purgedUser(UUID mailboxId) {
		return "purged-" + mailboxId;
	}

	private final Doveadm doveadm;

	DoveadmMailStore(Doveadm doveadm) {
		this.doveadm = doveadm;
	}

	@Override
	public Map<String, StoredMail> usage(Collection<String> addresses) {
		List<String> users = List.copyOf(new java.util.LinkedHashSet<>(addresses));
		if (users.isEmpty()) {
			return Map.of();
		}
		List<Doveadm.Command> commands = new ArrayList<>();
		for (int i = 0; i < users.size(); i++) {
			commands.add(new Doveadm.Command("quotaGet", Map.of("user", users.get(i)), Integer.toString(i)));
		}
		Map<String, StoredMail> used = new HashMap<>();
		for (Doveadm.Answer answer : doveadm.run(commands)) {
			if (!answer.ok()) {
				continue;
			}
			long kilobytes = 0;
			long messages = 0;
			for (JsonNode row : answer.rows()) {
				long value = Long.parseLong(row.path("value").asString("0"));
				switch (row.path("type").asString("")) {
					case "STORAGE" -> kilobytes = value;
					case "MESSAGE" -> messages = value;
					default -> {
					}
				}
			}
			used.put(users.get(Integer.parseInt(answer.tag())), new StoredMail(kilobytes * 1024, messages));
		}
		return used;
	}

	@Override
	public void wipePurged(UUID mailboxId) {
		wipe(purgedUser(mailboxId));
	}

	void wipe(String address) {
		Doveadm.Answer folders = doveadm.one("mailboxList", Map.of("user", address));
		if (!folders.ok()) {
			if (folders.exitCode() == Doveadm.NO_SUCH_USER) {
				return;
			}
			throw new Doveadm.DoveadmException("doveadm mailbox list failed with exit code " + folders.exitCode());
		}
		require(doveadm.one("expunge", Map.of("user", address, "query", List.of("mailbox", "*", "all"))), "expunge");
		List<String> names = folders.rows()
			.stream()
			.map(row -> row.path("mailbox").asString(""))
			.filter(name -> !name.isEmpty() && !name.equalsIgnoreCase("INBOX"))
			.toList();
		if (!names.isEmpty()) {
			require(doveadm.one("mailboxDelete", Map.of("user", address, "mailbox", names, "recursive", true)),
					"mailbox delete");
		}
	}

	private static void require(Doveadm.Answer answer, String what) {
		if (!answer.ok()) {
			throw new Doveadm.DoveadmException("doveadm " + what + " failed with exit code " + answer.exitCode());
		}
	}
}
