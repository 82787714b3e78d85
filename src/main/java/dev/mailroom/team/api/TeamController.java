package dev.mailroom.team.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.invitation.SentInvite;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.RequiresScope;
import dev.mailroom.team.TeamService;
import dev.mailroom.team.TeamUsage;
import dev.mailroom.team.TeamView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The team API (API.md "Team"): the owner manages members and invitations; everyone reads usage. */
@RestController
@Tag(name = "Team")
class TeamController {

	private final TeamService teams;

	TeamController(TeamService teams) {
		this.teams = teams;
	}

	record Seats(int limit, long used) {
	}

	record TeamJson(UUID organizationId, String name, String plan, Seats seats, UUID ownerUserId) {
		static TeamJson of(TeamView team) {
			return new TeamJson(team.organizationId(), team.name(), team.plan(),
					new Seats(team.seatLimit(), team.seatsUsed()), team.ownerUserId());
		}
	}

	record Invite(@NotBlank @Size(max = 254) String email, @Size(max = 10) String language) {
	}

	@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
	record MemberUsageJson(UUID userId, String email, String name, long mailboxesCreated, long apiCallsToday,
			long storageMb, Double storageUsedMb) {
	}

	record UsageJson(Map<String, Object> limits, Map<String, Object> used, List<MemberUsageJson> members) {
		static UsageJson of(TeamUsage usage) {
			return new UsageJson(usage.limits(), usage.used(), usage.members()
				.stream()
				.map(m -> new MemberUsageJson(m.userId(), m.email(), m.name(), m.mailboxesCreated(), m.apiCallsToday(),
						m.storageMb(), m.storageUsedMb()))
				.toList());
		}
	}

	@GetMapping("/api/v1/team")
	@RequiresScope("team:read")
	@Operation(summary = "The organization as a team: plan, seats (members + pending invitations) and owner")
	TeamJson team(Actor actor) {
		return TeamJson.of(teams.team(actor));
	}

	@GetMapping("/api/v1/team/members")
	@RequiresScope("team:read")
	@Operation(summary = "Everyone in the team (owner only)")
	Page<TeamMemberJson> members(Actor actor) {
		return new Page<>(teams.members(actor).stream().map(TeamMemberJson::of).toList(), null);
	}

	@DeleteMapping("/api/v1/team/members/{userId}")
	@RequiresScope("team:write")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Remove a member (owner only): their mailboxes in the team are deleted, their keys and "
			+ "sessions end, they keep their account. Needs confirm=true (else 422 confirmation_required, naming the "
			+ "mailboxes that would be deleted)")
	void remove(Actor actor, @PathVariable UUID userId, @RequestParam(required = false) String confirm) {
		// only the literal "true" confirms a deletion (not yes/on/1, which a boolean binding would take)
		teams.removeMember(actor, userId, "true".equals(confirm));
	}

	@PostMapping("/api/v1/team/invitations")
	@RequiresScope("team:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Invite someone to the team by email (owner only; link valid 7 days; holds a seat); "
			+ "409 seat_limit_reached, already_member, already_invited")
	TeamInvitationJson invite(Actor actor, @Valid @RequestBody Invite body) {
		SentInvite sent = teams.invite(actor, body.email(), body.language());
		return TeamInvitationJson.of(sent.invite(), sent.link());
	}

	@GetMapping("/api/v1/team/invitations")
	@RequiresScope("team:read")
	@Operation(summary = "The team's invitations, oldest first (owner only)")
	Page<TeamInvitationJson> invitations(Actor actor, @RequestParam(required = false) String status,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return teams.invitations(actor, status, PageRequest.of(limit, cursor)).map(i -> TeamInvitationJson.of(i, null));
	}

	@PostMapping("/api/v1/team/invitations/{id}/resend")
	@RequiresScope("team:write")
	@Operation(summary = "Send an invitation again with a fresh link (the old one stops working)")
	TeamInvitationJson resend(Actor actor, @PathVariable UUID id) {
		SentInvite sent = teams.resendInvitation(actor, id);
		return TeamInvitationJson.of(sent.invite(), sent.link());
	}

	@PostMapping("/api/v1/team/invitations/{id}/cancel")
	@RequiresScope("team:write")
	@Operation(summary = "Cancel an invitation: its link stops working and its seat is free")
	TeamInvitationJson cancel(Actor actor, @PathVariable UUID id) {
		return TeamInvitationJson.of(teams.cancelInvitation(actor, id), null);
	}

	@GetMapping("/api/v1/team/usage")
	@RequiresScope("team:read")
	@Operation(summary = "The team's shared quotas and usage; per member for the owner, only one's own for a member")
	UsageJson usage(Actor actor) {
		return UsageJson.of(teams.usage(actor));
	}
}
