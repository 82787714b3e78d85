package dev.mailroom.sharing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.notification.EmailMessage;
import dev.mailroom.notification.EmailTemplates;
import dev.mailroom.notification.MessageRenderer;
import org.springframework.stereotype.Component;

/** Tells a mailbox when someone was given, or lost, access to it. Its parameters hold no secret. */
@Component
class AccessEmails implements MessageRenderer {

	private final EmailTemplates templates;

	AccessEmails(EmailTemplates templates) {
		this.templates = templates;
	}

	@Override
	public boolean renders(String template) {
		return SharingService.GRANTED_TEMPLATE.equals(template) || SharingService.REVOKED_TEMPLATE.equals(template);
	}

	@Override
	public Optional<EmailMessage> render(UUID orgId, String template, Locale language, Map<String, Object> parameters) {
		Map<String, Object> variables = new HashMap<>(parameters);
		variables.putIfAbsent("access_until", null);
		return Optional.of(templates.render(template, language, variables, parameters.get("person"),
				parameters.get("address")));
	}
}
