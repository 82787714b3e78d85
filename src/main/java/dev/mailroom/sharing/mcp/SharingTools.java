package dev.mailroom.sharing.mcp;

import java.util.List;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.mailbox.api.MailboxJson;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.mcp.McpInput;
import dev.mailroom.platform.mcp.McpPreview;
import dev.mailroom.platform.mcp.McpTool;
import dev.mailroom.platform.mcp.McpTools;
import dev.mailroom.sharing.MemberView;
import dev.mailroom.sharing.NewMember;
import dev.mailroom.sharing.SharingService;
import dev.mailroom.sharing.api.MemberJson;
import dev.mailroom.sharing.api.RegularJson;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared mailboxes' MCP tools: thin adapters over {@link SharingService}, answering the REST JSON. */
@Configuration(proxyBeanMethods = false)
class SharingTools {

	static final List<String> PERMISSIONS = List.of("reply", "read_only");

	record MemberRef(@NotNull UUID mailboxId, @Size(max = 20) String permission) {
	}

	record CreateShared(@NotNull UUID domainId, @NotNull @Size(max = 64) String localPart,
			@Size(max = 200) String displayName, @NotNull @Size(max = 500) List<@NotNull @Valid MemberRef> members) {
	}

	record SharedRef(@NotNull UUID sharedMailboxId) {
	}

	record AddMembers(@NotNull UUID sharedMailboxId, @NotNull @Size(max = 500) List<@NotNull @Valid MemberRef> members) {
	}

	record UpdateMember(@NotNull UUID sharedMailboxId, @NotNull UUID memberMailboxId,
			@NotNull @Size(max = 20) String permission) {
	}

	record MemberOf(@NotNull UUID sharedMailboxId, @NotNull UUID memberMailboxId) {
	}

	record ConvertToShared(@NotNull UUID mailboxId, @NotNull @Size(max = 500) List<@NotNull @Valid MemberRef> members) {
	}

	record ConvertToRegular(@NotNull UUID mailboxId, @Size(max = 128) String password) {
	}

	@Bean
	McpTools sharingMcpTools(SharingService sharing, MailboxService mailboxes) {
		return McpTools.of(McpTool.named("list_shared_mailbox_members", SharedRef.class)
			.title("List a shared mailbox's members")
			.description("Lists who may open a shared mailbox: each member is a regular mailbox of the organization, "
					+ "with permission reply (read and send as the shared address) or read_only. Fails with "
					+ "not_a_shared_mailbox for a regular mailbox. Read-only; needs the mailboxes:read scope.")
			.input(McpInput.object().uuid("shared_mailbox_id", "The shared mailbox", true))
			.readOnly()
			.scope("mailboxes:read")
			.call((actor, a) -> members(sharing.members(actor, a.sharedMailboxId()))),

				McpTool.named("add_shared_mailbox_member", AddMembers.class)
					.title("Add members to a shared mailbox")
					.description("Gives regular mailboxes of the organization access to a shared mailbox, at once, all "
							+ "or none (already_member if one is a member already). Each member is {mailbox_id, "
							+ "permission} with permission reply (default) or read_only. Returns the members added. "
							+ "Needs the mailboxes:write scope.")
					.input(McpInput.object()
						.uuid("shared_mailbox_id", "The shared mailbox", true)
						.array("members", "The regular mailboxes to add (their own mailbox ids)", member(), 1, 500, true))
					.write()
					.scope("mailboxes:write")
					.done("Member(s) added; they can open the shared mailbox now.")
					.call((actor, a) -> members(sharing.add(actor, a.sharedMailboxId(), team(a.members())))),

				McpTool.named("update_shared_mailbox_member", UpdateMember.class)
					.title("Change a member's permission")
					.description("Sets a shared mailbox member's permission to reply (read and send as the shared "
							+ "address) or read_only, effective at once. Returns the member. Needs the mailboxes:write "
							+ "scope.")
					.input(McpInput.object()
						.uuid("shared_mailbox_id", "The shared mailbox", true)
						.uuid("member_mailbox_id", "The member's own mailbox id", true)
						.oneOf("permission", "The new permission", PERMISSIONS, true))
					.idempotentWrite()
					.scope("mailboxes:write")
					.done("Permission changed.")
					.call((actor, a) -> MemberJson
						.of(sharing.setPermission(actor, a.sharedMailboxId(), a.memberMailboxId(), a.permission()))),

				McpTool.named("remove_shared_mailbox_member", MemberOf.class)
					.title("Remove a member from a shared mailbox")
					.description("Removes a member's access to a shared mailbox at once; their own mailbox is not "
							+ "touched. The last member cannot be removed (last_member): add someone first. Needs the "
							+ "mailboxes:write scope.")
					.input(McpInput.object()
						.uuid("shared_mailbox_id", "The shared mailbox", true)
						.uuid("member_mailbox_id", "The member's own mailbox id", true))
					.destructive(true, "mailboxes:write", (actor, a) -> {
						MailboxView shared = mailboxes.get(actor, a.sharedMailboxId());
						List<MemberView> current = sharing.members(actor, a.sharedMailboxId());
						MemberView member = current.stream()
							.filter(m -> m.mailboxId().equals(a.memberMailboxId()))
							.findFirst()
							.orElseThrow(() -> MailroomException.notFound("Member"));
						return new McpPreview("Would remove " + member.address() + " (" + member.permission()
								+ ") from the shared mailbox " + shared.address() + ": they lose access at once; "
								+ (current.size() - 1) + " member(s) would remain.", MemberJson.of(member));
					})
					.done("Member removed; they no longer have access.")
					.call((actor, a) -> {
						sharing.remove(actor, a.sharedMailboxId(), a.memberMailboxId());
						return java.util.Map.of("shared_mailbox_id", a.sharedMailboxId(), "member_mailbox_id",
								a.memberMailboxId(), "removed", true);
					}),

				McpTool.named("create_shared_mailbox", CreateShared.class)
					.title("Create a shared mailbox")
					.description("Creates a shared mailbox (a team address such as support@) on an active domain, with "
							+ "at least one member; it has no password, ever: members open it with their own mailbox. "
							+ "Counts toward the domain's cap. Errors: domain_not_active, invalid_local_part, "
							+ "local_part_taken, plan_limit_reached, shared_limit_reached. Needs the mailboxes:write "
							+ "scope.")
					.input(McpInput.object()
						.uuid("domain_id", "The active domain of the new address", true)
						.string("local_part", "The address's part before @ (e.g. support)", 64, true)
						.string("display_name", "The name shown to recipients", 200, false)
						.array("members", "Its first members: regular mailboxes of the organization", member(), 1, 500,
								true))
					.write()
					.scope("mailboxes:write")
					.done("Shared mailbox created.")
					.call((actor, a) -> MailboxJson.of(sharing.create(actor, a.domainId(), a.localPart(),
							a.displayName(), team(a.members())))),

				McpTool.named("convert_mailbox_to_shared", ConvertToShared.class)
					.title("Convert a mailbox to shared")
					.description("Turns a regular mailbox into a shared one with the given members (at least one): its "
							+ "password and recovery code stop working everywhere at once, its mail stays, and the members "
							+ "open it with their own mailboxes. Needs the mailboxes:write scope.")
					.input(McpInput.object()
						.uuid("mailbox_id", "The regular mailbox to convert", true)
						.array("members", "Its members: other regular mailboxes of the organization", member(), 1, 500,
								true))
					.destructive(false, "mailboxes:write", (actor, a) -> {
						MailboxView mailbox = mailboxes.get(actor, a.mailboxId());
						if (!mailbox.regular()) {
							return new McpPreview(mailbox.address() + " is already shared: converting it again will be "
									+ "refused.", MailboxJson.of(mailbox));
						}
						return new McpPreview("Would convert the regular mailbox " + mailbox.address()
								+ " to a shared mailbox with " + a.members().size() + " member(s): its password and "
								+ "recovery code stop working everywhere at once; its mail stays.", MailboxJson.of(mailbox));
					})
					.done("The mailbox is shared now; its password no longer works.")
					.call((actor, a) -> MailboxJson.of(sharing.convertToShared(actor, a.mailboxId(), team(a.members())))),

				McpTool.named("convert_shared_mailbox_to_regular", ConvertToRegular.class)
					.title("Convert a shared mailbox to regular")
					.description("Turns a shared mailbox back into a regular one: every member loses access at once, and "
							+ "it gets its own login with the given password, or a generated one, and a new recovery code "
							+ "(both returned only in this result: hand them over safely). Needs the mailboxes:write "
							+ "scope.")
					.input(McpInput.object()
						.uuid("mailbox_id", "The shared mailbox to convert", true)
						.string("password", "Its new password; leave out to have a strong one generated", 128, false))
					.destructive(false, "mailboxes:write", (actor, a) -> {
						MailboxView mailbox = mailboxes.get(actor, a.mailboxId());
						List<MemberView> current = mailbox.shared() ? sharing.members(actor, a.mailboxId()) : List.of();
						return new McpPreview(mailbox.shared()
								? "Would convert the shared mailbox " + mailbox.address() + " to a regular mailbox: its "
										+ current.size() + " member(s) (" + String.join(", ",
												current.stream().map(MemberView::address).toList())
										+ ") lose access at once, and it gets a password"
										+ (a.password() == null ? " (generated)" : "") + " and a new recovery code."
								: mailbox.address() + " is not a shared mailbox: converting it will be refused.",
								MailboxJson.of(mailbox));
					})
					.done("The mailbox is regular now; keep the password and recovery code below, they are shown once.")
					.call((actor, a) -> RegularJson.of(sharing.convertToRegular(actor, a.mailboxId(), a.password()))));
	}

	private static McpInput member() {
		return McpInput.object()
			.uuid("mailbox_id", "A regular mailbox of the organization (the member's own mailbox)", true)
			.oneOf("permission", "reply (default: read and send as the shared address) or read_only", PERMISSIONS,
					false);
	}

	private static List<NewMember> team(List<MemberRef> refs) {
		return refs.stream().map(r -> new NewMember(r.mailboxId(), r.permission())).toList();
	}

	private static Page<MemberJson> members(List<MemberView> members) {
		return new Page<>(members.stream().map(MemberJson::of).toList(), null);
	}
}
