package dev.mailroom.mailbox.api;

import java.util.UUID;

import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mailboxes")
class MeController {

	private final MailboxService mailboxes;

	MeController(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	record OpenableJson(UUID mailboxId, String address, String kind, String access, String permission) {
	}

	@GetMapping("/api/v1/me/mailboxes")
	@Operation(summary = "The mailboxes this person may open (HTTP Basic or an API key)")
	Page<OpenableJson> mine(Actor actor) {
		return new Page<>(mailboxes.ownLogins(actor.userId())
			.stream()
			.map(m -> new OpenableJson(m.id(), m.address(), m.kind(), "owner", "reply"))
			.toList(), null);
	}
}
