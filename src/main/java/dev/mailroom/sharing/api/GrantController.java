package dev.mailroom.sharing.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.RequiresScope;
import dev.mailroom.sharing.GrantView;
import dev.mailroom.sharing.SharingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Address-access invites")
class GrantController {

	private final SharingService sharing;

	GrantController(SharingService sharing) {
		this.sharing = sharing;
	}

	record GrantJson(UUID userId, String email, String name, String permission, Instant grantedAt, Instant accessUntil) {
		static GrantJson of(GrantView g) {
			return new GrantJson(g.userId(), g.email(), g.name(), g.permission(), g.grantedAt(), g.accessUntil());
		}
	}

	@GetMapping("/api/v1/mailboxes/{id}/grants")
	@RequiresScope("mailboxes:read")
	Page<GrantJson> list(Actor actor, @PathVariable UUID id) {
		return new Page<>(sharing.grants(actor, id).stream().map(GrantJson::of).toList(), null);
	}

	@PatchMapping("/api/v1/mailboxes/{id}/grants/{userId}")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Change a grant's permission and/or end date (access_until: null removes the end)")
	GrantJson update(Actor actor, @PathVariable UUID id, @PathVariable UUID userId, @RequestBody JsonNode body) {
		if (!body.isObject()) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "malformed_request", "Send a JSON object");
		}
		for (String field : body.propertyNames()) {
			if (!List.of("permission", "access_until").contains(field)) {
				throw new MailroomException(HttpStatus.BAD_REQUEST, "malformed_request", "Unknown field " + field);
			}
		}
		JsonNode permission = body.get("permission");
		JsonNode until = body.get("access_until");
		Instant accessUntil = null;
		if (until != null && !until.isNull()) {
			try {
				accessUntil = Instant.parse(until.asString());
			}
			catch (DateTimeParseException | IllegalArgumentException e) {
				throw MailroomException.invalid("access_until", "invalid_value", "access_until is an RFC 3339 time");
			}
		}
		return GrantJson.of(sharing.updateGrant(actor, id, userId,
				permission == null || permission.isNull() ? null : permission.asString(), accessUntil,
				until != null && until.isNull()));
	}

	@DeleteMapping("/api/v1/mailboxes/{id}/grants/{userId}")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke a grant at once")
	void revoke(Actor actor, @PathVariable UUID id, @PathVariable UUID userId) {
		sharing.revoke(actor, id, userId);
	}
}
