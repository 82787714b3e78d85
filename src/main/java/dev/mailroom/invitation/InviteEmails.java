package dev.mailroom.invitation;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.notification.EmailMessage;
import dev.mailroom.notification.EmailTemplates;
import dev.mailroom.notification.MessageRenderer;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Renders invitation emails at delivery time: the link is recomputed from the invite and the
 * link version the email was queued for, so it is never stored; an email for an invite that is
 * no longer pending at that version (resent, canceled, used) is not sent.
 */
@Component
class InviteEmails implements MessageRenderer {

	private final InvitationService invitations;
	private final EmailTemplates templates;

	InviteEmails(@Lazy InvitationService invitations, EmailTemplates templates) {
		this.invitations = invitations;
		this.templates = templates;
	}

	private static String format(java.time.Instant instant, Locale language) {
		return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
			.withLocale(language)
			.withZone(ZoneOffset.UTC)
			.format(instant) + " UTC";
	}

	@Override
	public boolean renders(String template) {
		return InvitationService.SETUP_TEMPLATE.equals(template) || InvitationService.ACCESS_TEMPLATE.equals(template)
				|| InvitationService.TEAM_TEMPLATE.equals(template);
	}

	@Override
	public Optional<EmailMessage> render(UUID orgId, String template, Locale language, Map<String, Object> parameters) {
		UUID inviteId = UUID.fromString(String.valueOf(parameters.get("invite_id")));
		int version = ((Number) parameters.get("link_version")).intValue();
		return invitations.pendingWithVersion(orgId, inviteId, version).map(invite -> {
			String organization = invitations.organizationName(orgId);
			if (invite.kind().equals("team")) {
				Map<String, Object> variables = new HashMap<>();
				variables.put("organization", organization);
				variables.put("inviter", invite.invitedByName());
				variables.put("recipient", invite.recipientEmail());
				variables.put("link", invitations.emailedLink(invite));
				variables.put("expires", format(invite.expiresAt(), language));
				return templates.render(template, language, variables, invite.invitedByName(), organization);
			}
			if (invite.kind().equals("address_access")) {
				String address = invitations.mailboxAddress(orgId, invite.targetMailboxId());
				Map<String, Object> variables = new HashMap<>();
				variables.put("organization", organization);
				variables.put("inviter", invite.invitedByName());
				variables.put("address", address);
				variables.put("permission", invite.permission());
				variables.put("access_until", invite.accessUntil() == null ? null : format(invite.accessUntil(), language));
				variables.put("recipient", invite.recipientEmail());
				variables.put("link", invitations.emailedLink(invite));
				variables.put("expires", format(invite.expiresAt(), language));
				return templates.render(template, language, variables, invite.invitedByName(), address);
			}
			String domain = invitations.domainName(orgId, invite.domainId());
			Map<String, Object> variables = new HashMap<>();
			variables.put("organization", organization);
			variables.put("inviter", invite.invitedByName());
			variables.put("domain", domain);
			variables.put("address", invite.localPart() == null ? null : invite.localPart() + "@" + domain);
			variables.put("recipient", invite.recipientEmail());
			variables.put("link", invitations.link(invite));
			variables.put("expires", format(invite.expiresAt(), language));
			return templates.render(template, language, variables, organization, domain);
		});
	}
}
