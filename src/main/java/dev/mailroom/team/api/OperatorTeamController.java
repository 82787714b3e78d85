package dev.mailroom.team.api;

import java.util.UUID;

import dev.mailroom.mailbox.api.MailboxJson;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.team.TeamService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Operator")
class OperatorTeamController {

	private final TeamService teams;

	OperatorTeamController(TeamService teams) {
		this.teams = teams;
	}

	record Restore(@NotNull UUID userId) {
	}

	@PostMapping("/api/v1/operator/organizations/{id}/restore-member-mailboxes")
	@Operation(summary = "Operator: bring back the mailboxes deleted with a removed team member, within 24 hours of "
			+ "the removal (later: 410 restore_window_expired)")
	Page<MailboxJson> restore(Actor actor, @PathVariable UUID id, @Valid @RequestBody Restore body) {
		return new Page<>(teams.restoreMemberMailboxes(actor, id, body.userId()).stream().map(MailboxJson::of).toList(),
				null);
	}
}
