package dev.mailroom.invitation.mcp;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.mailroom.invitation.BulkInvite;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.InviteView;
import dev.mailroom.invitation.SendSetupInvite;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.invitation.ShareAddress;
import dev.mailroom.invitation.api.BulkSentJson;
import dev.mailroom.invitation.api.InviteJson;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.mcp.McpInput;
import dev.mailroom.platform.mcp.McpPreview;
import dev.mailroom.platform.mcp.McpTool;
import dev.mailroom.platform.mcp.McpTools;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mailbox setup invites' MCP tools: thin adapters over {@link InvitationService}, answering the REST JSON. */
@Configuration(proxyBeanMethods = false)
class InviteTools {

	record CreateInvite(@NotNull UUID domainId, @NotNull @Size(max = 254) String recipientEmail,
			@Size(max = 64) String localPart, Integer storageAllocationMb, Integer expiresInHours,
			@Size(max = 10) String language) {
	}

	record BulkItem(@Size(max = 254) String recipientEmail, @Size(max = 64) String localPart,
			Integer storageAllocationMb) {
	}

	record CreateBulk(@NotNull UUID domainId, Integer expiresInHours, @Size(max = 10) String language,
			@NotNull List<@NotNull @Valid BulkItem> items) {
	}

	record ListInvites(@Size(max = 10) String status, UUID domainId, UUID batchId, Integer limit,
			@Size(max = 1000) String cursor) {
	}

	record InviteRef(@NotNull UUID inviteId) {
	}

	record ShareAddressArgs(@NotNull UUID mailboxId, @Size(max = 254) String recipientEmail,
			@NotNull @Size(max = 20) String permission, @Size(max = 10) String language, Instant accessUntil,
			@Size(max = 200) String mailboxPassword) {

		@Override
		public String toString() {
			return "ShareAddressArgs[mailboxId=" + mailboxId + "]";
		}
	}

	record MailboxRef(@NotNull UUID mailboxId) {
	}

	record AccessInviteRef(@NotNull UUID mailboxId, @NotNull UUID inviteId) {
	}

	@Bean
	McpTools inviteMcpTools(InvitationService invitations) {
		return McpTools.of(McpTool.named("create_invite", CreateInvite.class)
			.title("Invite someone to set up a mailbox")
			.description("Sends a mailbox setup invite: emails the recipient a one-time link where they choose their "
					+ "password (and their address, unless local_part fixes it). The future mailbox counts toward the "
					+ "domain's cap at once and reserves its storage until the invite is accepted, canceled or expires. "
					+ "Returns the invite with its link. Errors: domain_not_active, invalid_email, invalid_local_part, "
					+ "local_part_taken, already_invited, plan_limit_reached, storage_pool_exceeded. Needs the "
					+ "mailboxes:write scope.")
			.input(setupFields(McpInput.object().uuid("domain_id", "The active domain the mailbox will be on", true)
				.email("recipient_email", "Where the invite is sent (the person's current email address)", true)
				.string("local_part", "Fixes the address's part before @; leave out to let the recipient choose", 64,
						false)
				.integer("storage_allocation_mb", "Dedicated storage in MB; leave out to draw from the pool", 1,
						MailboxService.MAX_STORAGE_MB, false)))
			.write()
			.scope("mailboxes:write")
			.sendsEmail()
			.done("Invite sent; the recipient gets an email with the link.")
			.call((actor, a) -> {
				SentInvite sent = invitations.send(actor, new SendSetupInvite(a.domainId(), a.recipientEmail(),
						a.localPart(), a.storageAllocationMb(), a.expiresInHours(), a.language()));
				return InviteJson.of(sent.invite(), sent.link());
			}),

				McpTool.named("create_invites_bulk", CreateBulk.class)
					.title("Invite up to 100 people to set up mailboxes")
					.description("Sends up to " + InvitationService.API_BATCH + " mailbox setup invites on one domain, "
							+ "all or nothing: if any recipient has a problem, nothing is sent and the error lists each "
							+ "item's problems by index (fix them and call again). More than " + InvitationService.API_BATCH
							+ " items → too_many_items: chunk longer lists into calls of at most "
							+ InvitationService.API_BATCH + ". Each recipient gets an email with their link; every "
							+ "invite counts toward the cap at once. Without local_part the address is derived from the "
							+ "recipient's email. Returns batch_id and the invites with their links. Needs the "
							+ "mailboxes:write scope.")
					.input(setupFields(McpInput.object()
						.uuid("domain_id", "The active domain the mailboxes will be on", true)
						.array("items", "The recipients, at most " + InvitationService.API_BATCH
								+ " per call (chunk longer lists)", McpInput.object()
									.email("recipient_email", "Where this invite is sent", true)
									.string("local_part",
											"The address's part before @; leave out to derive it from the email", 64, false)
									.integer("storage_allocation_mb", "Dedicated storage in MB; leave out for the pool",
											1, MailboxService.MAX_STORAGE_MB, false),
								1, InvitationService.API_BATCH, true)))
					.write()
					.scope("mailboxes:write")
					.sendsEmail()
					.done("Batch sent; each recipient gets an email with their link.")
					.call((actor, a) -> BulkSentJson.of(invitations.sendBulk(actor,
							new BulkInvite(a.domainId(), a.expiresInHours(), a.language(),
									a.items()
										.stream()
										.map(i -> new BulkInvite.Item(i.recipientEmail(), i.localPart(),
												i.storageAllocationMb()))
										.toList(),
									BulkInvite.Source.API)))),

				McpTool.named("list_invites", ListInvites.class)
					.title("List mailbox setup invites")
					.description("Lists the organization's mailbox setup invites, oldest first, with status (pending, "
							+ "accepted, expired, canceled), recipient, expiry, send count and the latest email "
							+ "delivery. Links are not included. Read-only; needs the mailboxes:read scope.")
					.input(McpInput.object()
						.oneOf("status", "Only invites with this status",
								List.of("pending", "accepted", "expired", "canceled"), false)
						.uuid("domain_id", "Only invites for this domain", false)
						.uuid("batch_id", "Only the invites of this bulk batch", false)
						.page())
					.readOnly()
					.scope("mailboxes:read")
					.call((actor, a) -> invitations.list(actor, a.status(), a.domainId(), a.batchId(),
							PageRequest.of(a.limit(), a.cursor())).map(i -> InviteJson.of(i, null))),

				McpTool.named("resend_invite", InviteRef.class)
					.title("Resend an invite")
					.description("Emails the recipient a new link with a fresh expiry; the previous link stops working. "
							+ "An expired invite comes back to life if the plan still has room. Fails with "
							+ "invite_not_pending for accepted or canceled invites. Returns the invite with its new link. "
							+ "Needs the mailboxes:write scope.")
					.input(McpInput.object().uuid("invite_id", "The invite to resend", true))
					.write()
					.scope("mailboxes:write")
					.sendsEmail()
					.done("Invite resent with a new link; the old link no longer works.")
					.call((actor, a) -> {
						SentInvite sent = invitations.resend(actor, a.inviteId());
						return InviteJson.of(sent.invite(), sent.link());
					}),

				McpTool.named("cancel_invite", InviteRef.class)
					.title("Cancel an invite")
					.description("Cancels a pending or expired invite: its link stops working at once, no mailbox will "
							+ "ever be made from it, and the mailbox slot and storage it held are freed. An accepted "
							+ "invite cannot be canceled (invite_not_pending). Needs the mailboxes:write scope.")
					.input(McpInput.object().uuid("invite_id", "The invite to cancel", true))
					.destructive(true, "mailboxes:write", (actor, a) -> {
						InviteView invite = invitations.get(actor, a.inviteId());
						return new McpPreview(switch (invite.status()) {
							case "canceled" -> "This invite is already canceled: canceling it again changes nothing.";
							case "accepted" -> "This invite was already accepted (mailbox " + invite.mailboxId()
									+ "): it cannot be canceled; delete_mailbox removes the mailbox instead.";
							default -> "Would cancel the " + invite.status() + " invite sent to "
									+ invite.recipientEmail() + ": its link stops working at once, no mailbox will be "
									+ "created from it, and the slot it holds is freed.";
						}, InviteJson.of(invite, null));
					})
					.done("Invite canceled; its link no longer works.")
					.call((actor, a) -> InviteJson.of(invitations.cancel(actor, a.inviteId()), null)),

				McpTool.named("share_address", ShareAddressArgs.class)
					.title("Share an existing address with a person")
					.description("Creates an address-access invite: with recipient_email, a link only that person's "
							+ "account can accept (emailed to them); without it, a single-use sharing link for whoever "
							+ "receives it. Sharing a regular mailbox (a person's login) needs that address's own "
							+ "password in mailbox_password (403 mailbox_password_required when missing or wrong; wrong "
							+ "guesses are throttled, 429 too_many_attempts); a shared mailbox needs none. In a team, a "
							+ "mailbox another member created cannot be shared (403 member_mailbox). Returns the invite "
							+ "with its link. Needs the mailboxes:write scope.")
					.input(McpInput.object()
						.uuid("mailbox_id", "The mailbox whose address is shared", true)
						.email("recipient_email", "The person's email; leave out for a sharing link", false)
						.oneOf("permission", "read_only (read) or reply (read and send as the address)",
								List.of("read_only", "reply"), true)
						.oneOf("language", "The language of the email and the page (default en)", List.of("en", "fr", "de"),
								false)
						.string("access_until", "When access ends (RFC 3339, in the future); leave out for no end", 40,
								false)
						.string("mailbox_password", "The address's own password (regular mailboxes only)", 200, false))
					.write()
					.scope("mailboxes:write")
					.sendsEmail()
					.done("Address shared; the invite's link is in the result.")
					.call((actor, a) -> {
						SentInvite sent = invitations.shareAddress(actor, a.mailboxId(), new ShareAddress(a.recipientEmail(),
								a.permission(), a.language(), null, a.accessUntil(), a.mailboxPassword()));
						return InviteJson.of(sent.invite(), sent.link());
					}),

				McpTool.named("list_access_invites", MailboxRef.class)
					.title("List a mailbox's address-access invites")
					.description("Lists the address-access invites of a mailbox, oldest first, with status, recipient "
							+ "(none for a sharing link), permission and expiry. Links are not included. Read-only; needs "
							+ "the mailboxes:read scope.")
					.input(McpInput.object().uuid("mailbox_id", "The mailbox", true))
					.readOnly()
					.scope("mailboxes:read")
					.call((actor, a) -> new dev.mailroom.platform.Page<>(invitations.accessInvites(actor, a.mailboxId())
						.stream()
						.map(i -> InviteJson.of(i, null))
						.toList(), null)),

				McpTool.named("resend_access_invite", AccessInviteRef.class)
					.title("Resend an address-access invite")
					.description("Gives the invite a new link with a fresh expiry (the previous link stops working) and "
							+ "emails it to the recipient; a sharing link has no recipient, so the new link is only "
							+ "returned. Fails with invite_not_pending for accepted or canceled invites. Needs the "
							+ "mailboxes:write scope.")
					.input(McpInput.object()
						.uuid("mailbox_id", "The mailbox", true)
						.uuid("invite_id", "The address-access invite", true))
					.write()
					.scope("mailboxes:write")
					.sendsEmail()
					.done("A new link was made; the old link no longer works.")
					.call((actor, a) -> {
						SentInvite sent = invitations.resendAccess(actor, a.mailboxId(), a.inviteId());
						return InviteJson.of(sent.invite(), sent.link());
					}),

				McpTool.named("cancel_access_invite", AccessInviteRef.class)
					.title("Cancel an address-access invite")
					.description("Cancels a pending address-access invite: its link stops working at once and no access "
							+ "comes of it. Access already granted stays (revoke_grant ends it). Needs the mailboxes:write "
							+ "scope.")
					.input(McpInput.object()
						.uuid("mailbox_id", "The mailbox", true)
						.uuid("invite_id", "The address-access invite", true))
					.destructive(true, "mailboxes:write", (actor, a) -> {
						InviteView invite = invitations.accessInvites(actor, a.mailboxId())
							.stream()
							.filter(i -> i.id().equals(a.inviteId()))
							.findFirst()
							.orElseThrow(() -> dev.mailroom.platform.MailroomException.notFound("Invite"));
						return new McpPreview("Would cancel the " + invite.status() + " "
								+ (invite.recipientEmail() == null ? "sharing link"
										: "invite to " + invite.recipientEmail())
								+ ": its link stops working at once.", InviteJson.of(invite, null));
					})
					.done("Invite canceled; its link no longer works.")
					.call((actor, a) -> InviteJson.of(invitations.cancelAccess(actor, a.mailboxId(), a.inviteId()), null)));
	}

	/** The fields every setup invite call shares. */
	private static McpInput setupFields(McpInput input) {
		return input
			.integer("expires_in_hours", "How long the link works, in hours (default 720 = 30 days)", 1, 720, false)
			.oneOf("language", "The language of the email and the page (default en)", List.of("en", "fr", "de"), false);
	}
}
