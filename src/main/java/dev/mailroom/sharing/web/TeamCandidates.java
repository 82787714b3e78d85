package dev.mailroom.sharing.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;

/**
 * The mailboxes a team picker offers: the organization's active regular mailboxes, on any of its
 * domains, sorted by address, minus those already chosen (the mailbox itself, its members).
 */
final class TeamCandidates {

	/** Enough for any plan's mailboxes; the picker filters them in the browser. */
	private static final int MAX_PAGES = 10;

	private TeamCandidates() {
	}

	static List<MailboxView> of(MailboxService mailboxes, Actor actor, Collection<UUID> excluded) {
		List<MailboxView> all = new ArrayList<>();
		String cursor = null;
		for (int pages = 0; pages < MAX_PAGES; pages++) {
			Page<MailboxView> page = mailboxes.list(actor, null, "regular", "active", null,
					PageRequest.of(PageRequest.MAX_LIMIT, cursor));
			page.items().stream().filter(m -> !excluded.contains(m.id())).forEach(all::add);
			cursor = page.nextCursor();
			if (cursor == null) {
				break;
			}
		}
		all.sort(Comparator.comparing(MailboxView::address));
		return all;
	}
}
