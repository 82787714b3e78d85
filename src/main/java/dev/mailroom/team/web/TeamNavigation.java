package dev.mailroom.team.web;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.web.PageController;
import dev.mailroom.team.TeamService;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells every page's profile menu whether to offer "Manage members" (the owner) and "Usage" (a team). */
@ControllerAdvice(annotations = PageController.class)
class TeamNavigation {

	/** What the profile menu offers about the team. */
	record TeamMenu(boolean manageMembers, boolean usage) {
	}

	private final TeamService teams;

	TeamNavigation(TeamService teams) {
		this.teams = teams;
	}

	@ModelAttribute("teamMenu")
	TeamMenu teamMenu(Authentication authentication) {
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor && teams.isTeam(actor)) {
			return new TeamMenu(actor.role() == OrgRole.OWNER, true);
		}
		return new TeamMenu(false, false);
	}
}
