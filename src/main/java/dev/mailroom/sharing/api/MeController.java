package dev.mailroom.sharing.api;

import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.RequiresScope;
import dev.mailroom.sharing.SharingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mailboxes")
class MeController {

	private final SharingService sharing;

	MeController(SharingService sharing) {
		this.sharing = sharing;
	}

	record OpenableJson(UUID mailboxId, String address, String kind, String access, String permission) {
	}

	@GetMapping("/api/v1/me/mailboxes")
	@RequiresScope("mailboxes:read")
	@Operation(summary = "The mailboxes this person may open: their own, and shared ones they are a member of "
			+ "(HTTP Basic or an API key)")
	Page<OpenableJson> mine(Actor actor) {
		return new Page<>(sharing.openable(actor)
			.stream()
			.map(m -> new OpenableJson(m.mailboxId(), m.address(), m.kind(), m.access(), m.permission()))
			.toList(), null);
	}
}
