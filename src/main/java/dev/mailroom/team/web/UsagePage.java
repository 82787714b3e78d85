package dev.mailroom.team.web;

import java.util.List;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.team.TeamService;
import dev.mailroom.team.TeamUsage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The team's Usage page: the shared quotas for everyone (read-only), and per member for the owner. */
@PageController
class UsagePage {

	/** One shared quota as the page shows it. */
	record Quota(String key, String label, long limit, long used) {
	}

	private static final List<String[]> QUOTAS = List.of(new String[] { "api_calls_per_day", "API calls today" },
			new String[] { "active_mailboxes", "Active mailboxes" },
			new String[] { "archived_mailboxes", "Archived mailboxes" }, new String[] { "domains", "Domains" },
			new String[] { "storage_pool_mb", "Dedicated storage (MB)" }, new String[] { "seats", "Seats" });

	private final TeamService teams;

	UsagePage(TeamService teams) {
		this.teams = teams;
	}

	@GetMapping("/team/usage")
	String usage(Actor actor, Model model) {
		if (actor.orgId() == null) {
			return "redirect:/account";
		}
		TeamUsage usage = teams.usage(actor);
		model.addAttribute("team", teams.team(actor));
		model.addAttribute("usage", usage);
		model.addAttribute("quotas", QUOTAS.stream()
			.map(q -> new Quota(q[0], q[1], number(usage.limits().get(q[0])), number(usage.used().get(q[0]))))
			.toList());
		model.addAttribute("owner", actor.role() == OrgRole.OWNER);
		// storage use is known only with a mail plane connected; then every member row carries it
		model.addAttribute("mailPlaneConnected", usage.members().stream().anyMatch(m -> m.storageUsedMb() != null));
		return "team/usage";
	}

	private static long number(Object value) {
		return value instanceof Number n ? n.longValue() : 0;
	}
}
