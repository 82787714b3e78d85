package dev.mailroom.identity;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.notification.EmailMessage;
import dev.mailroom.notification.EmailTemplates;
import dev.mailroom.notification.MessageRenderer;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.PublicUrls;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Renders the account emails at delivery time: the verification, ownership and sign-in links are
 * recomputed from their row and version (never stored); one whose row moved on (used, replaced,
 * gone) is not sent.
 */
@Component
class AccountEmails implements MessageRenderer {

	private final IdentityService identity;
	private final OrganizationService organizations;
	private final EmailTemplates templates;
	private final PublicUrls urls;

	AccountEmails(@Lazy IdentityService identity, OrganizationService organizations, EmailTemplates templates,
			PublicUrls urls) {
		this.identity = identity;
		this.organizations = organizations;
		this.templates = templates;
		this.urls = urls;
	}

	@Override
	public boolean renders(String template) {
		return IdentityService.VERIFY_TEMPLATE.equals(template) || IdentityService.ACCOUNT_EXISTS_TEMPLATE.equals(template)
				|| IdentityService.OWNERSHIP_TEMPLATE.equals(template)
				|| IdentityService.SIGN_IN_LINK_TEMPLATE.equals(template);
	}

	@Override
	public Optional<EmailMessage> render(UUID orgId, String template, Locale language, Map<String, Object> parameters) {
		Map<String, Object> variables = new HashMap<>();
		if (IdentityService.ACCOUNT_EXISTS_TEMPLATE.equals(template)) {
			variables.put("signin", urls.of("/signin"));
			variables.put("recovery", urls.of("/recovery"));
			return Optional.of(templates.render(template, language, variables));
		}
		if (IdentityService.SIGN_IN_LINK_TEMPLATE.equals(template)) {
			return identity.signInLink(UUID.fromString(String.valueOf(parameters.get("link_id")))).map(link -> {
				variables.put("link", link);
				return templates.render(template, language, variables);
			});
		}
		int version = ((Number) parameters.get("version")).intValue();
		if (IdentityService.VERIFY_TEMPLATE.equals(template)) {
			UUID id = UUID.fromString(String.valueOf(parameters.get("verification_id")));
			return identity.verificationLink(id, version).map(link -> {
				variables.put("link", link);
				return templates.render(template, language, variables);
			});
		}
		UUID id = UUID.fromString(String.valueOf(parameters.get("invitation_id")));
		return identity.ownershipLink(orgId, id, version).map(link -> {
			OrganizationView organization = organizations.find(orgId).orElseThrow();
			variables.put("link", link);
			variables.put("organization", organization.name());
			return templates.render(template, language, variables, organization.name());
		});
	}
}
