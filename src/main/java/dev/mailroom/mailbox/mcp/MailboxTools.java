package dev.mailroom.mailbox.mcp;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.mailbox.api.MailboxJson;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.mcp.McpInput;
import dev.mailroom.platform.mcp.McpPreview;
import dev.mailroom.platform.mcp.McpTool;
import dev.mailroom.platform.mcp.McpTools;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mailboxes' MCP tools: thin adapters over {@link MailboxService}, answering the REST JSON. */
@Configuration(proxyBeanMethods = false)
class MailboxTools {

	record ListMailboxes(UUID domainId, @Size(max = 10) String kind, @Size(max = 10) String status,
			@Size(max = 200) String q, Integer limit, @Size(max = 1000) String cursor) {
	}

	record MailboxRef(@NotNull UUID mailboxId) {
	}

	@Bean
	McpTools mailboxMcpTools(MailboxService mailboxes, MailroomSettings settings) {
		return McpTools.of(McpTool.named("list_mailboxes", ListMailboxes.class)
			.title("List mailboxes")
			.description("Lists the organization's mailboxes (regular and shared), oldest first, with their address, "
					+ "kind, status (active, archived, or trashed = in the recycle bin), storage and, for shared ones, "
					+ "member_count. Filters are optional. Read-only; needs the mailboxes:read scope.")
			.input(McpInput.object()
				.uuid("domain_id", "Only mailboxes on this domain", false)
				.oneOf("kind", "Only regular or only shared mailboxes", List.of("regular", "shared"), false)
				.oneOf("status", "Only mailboxes with this status", List.of("active", "archived", "trashed"), false)
				.string("q", "Only addresses or display names containing this text", 200, false)
				.page())
			.readOnly()
			.scope("mailboxes:read")
			.call((actor, a) -> mailboxes.list(actor, a.domainId(), a.kind(), a.status(), a.q(),
					PageRequest.of(a.limit(), a.cursor())).map(MailboxJson::of)),

				McpTool.named("delete_mailbox", MailboxRef.class)
					.title("Delete a mailbox (to the recycle bin)")
					.description("Moves a mailbox to the recycle bin: it stops receiving mail and cannot sign in at once, "
							+ "stops counting toward the plan's caps, and keeps its address reserved; it is purged for good "
							+ "after the retention window (restore_mailbox brings it back until then). Needs the "
							+ "mailboxes:write scope.")
					.input(McpInput.object().uuid("mailbox_id", "The mailbox to delete", true))
					.destructive(true, "mailboxes:write", (actor, a) -> {
						MailboxView mailbox = mailboxes.get(actor, a.mailboxId());
						return new McpPreview(mailbox.status().equals("trashed")
								? mailbox.address() + " is already in the recycle bin: deleting it again changes nothing."
								: "Would move the " + mailbox.kind() + " mailbox " + mailbox.address()
										+ " to the recycle bin: it stops receiving mail and cannot sign in, and it is purged "
										+ "for good after " + settings.trashRetentionDays()
										+ " day(s) unless restored with restore_mailbox.",
								MailboxJson.of(mailbox));
					})
					.done("Moved the mailbox to the recycle bin; restore_mailbox brings it back until it is purged.")
					.call((actor, a) -> {
						mailboxes.delete(actor, a.mailboxId());
						return Map.of("mailbox_id", a.mailboxId(), "status", "trashed");
					}),

				McpTool.named("restore_mailbox", MailboxRef.class)
					.title("Restore a mailbox from the recycle bin")
					.description("Takes a mailbox out of the recycle bin: it is active again (receives mail, can sign "
							+ "in) and counts toward the caps again. Fails with plan_limit_reached if the domain or plan is "
							+ "full now, not_found once purged. A mailbox that is not in the recycle bin is returned "
							+ "unchanged. Needs the mailboxes:write scope.")
					.input(McpInput.object().uuid("mailbox_id", "The mailbox to restore", true))
					.idempotentWrite()
					.scope("mailboxes:write")
					.done("The mailbox is active again.")
					.call((actor, a) -> MailboxJson.of(mailboxes.restore(actor, a.mailboxId()))));
	}
}
