package dev.mailroom.team.mcp;

import java.util.List;

import dev.mailroom.invitation.SentInvite;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.mcp.McpInput;
import dev.mailroom.platform.mcp.McpTool;
import dev.mailroom.platform.mcp.McpTools;
import dev.mailroom.team.TeamService;
import dev.mailroom.team.api.TeamInvitationJson;
import dev.mailroom.team.api.TeamMemberJson;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The team's MCP tools: thin adapters over {@link TeamService}, answering the REST JSON. */
@Configuration(proxyBeanMethods = false)
class TeamTools {

	record InviteMember(@NotNull @Size(max = 254) String email, @Size(max = 10) String language) {
	}

	record NoArguments() {
	}

	@Bean
	McpTools teamMcpTools(TeamService teams) {
		return McpTools.of(McpTool.named("invite_team_member", InviteMember.class)
			.title("Invite someone to the team")
			.description("Invites a person to join the team (the organization) as a member: they get an email with the "
					+ "team's name, the owner, a link and its expiry (7 days), and accept by creating an account or "
					+ "signing in. The invitation holds a seat at once. Only the team's owner may invite. Errors: "
					+ "invalid_email, already_member, already_invited, seat_limit_reached (every seat of the plan is "
					+ "taken by members and pending invitations). Returns the invitation with its link. Needs the "
					+ "team:write scope.")
			.input(McpInput.object()
				.email("email", "The person's email address; the invitation is sent there and only that account may accept it",
						true)
				.oneOf("language", "The language of the email (default en)", List.of("en", "fr", "de"), false))
			.write()
			.scope("team:write")
			.sendsEmail()
			.done("Invitation sent; the person gets an email with the link (valid 7 days).")
			.call((actor, a) -> {
				SentInvite sent = teams.invite(actor, a.email(), a.language());
				return TeamInvitationJson.of(sent.invite(), sent.link());
			}),

				McpTool.named("list_team_members", NoArguments.class)
					.title("List the team's members")
					.description("Lists everyone in the team: user_id, email, name, role (owner or member), when they "
							+ "joined, how many active mailboxes they own and when they were last active. Only the "
							+ "team's owner may list members; it shows mailbox counts, never message content or API "
							+ "keys. Read-only; needs the team:read scope.")
					.input(McpInput.object())
					.readOnly()
					.scope("team:read")
					.call((actor, a) -> new Page<>(teams.members(actor).stream().map(TeamMemberJson::of).toList(), null)));
	}
}
