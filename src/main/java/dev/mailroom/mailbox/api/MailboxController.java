package dev.mailroom.mailbox.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mailroom.mailbox.CreatedMailbox;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.mailbox.MailboxView;
import dev.mailroom.mailbox.NewMailbox;
import dev.mailroom.mailbox.PendingMailbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Mailboxes")
class MailboxController {

	private final MailboxService mailboxes;

	MailboxController(MailboxService mailboxes) {
		this.mailboxes = mailboxes;
	}

	record CreateMailbox(@NotNull UUID domainId, @NotNull @Size(max = 64) String localPart,
			@Size(max = 128) String password, Integer storageAllocationMb, @Size(max = 200) String displayName) {
	}

	record BulkItem(@NotNull @Size(max = 64) String localPart, @Size(max = 128) String password,
			Integer storageAllocationMb, @Size(max = 200) String displayName) {
	}

	record CreateBulk(@NotNull UUID domainId, @NotEmpty @Size(max = 100) List<@NotNull @Valid BulkItem> items) {
	}

	record ResetPassword(@Size(max = 128) String password) {
	}

	record CreatedJson(MailboxJson mailbox, String password, String recoveryCode) {
		static CreatedJson of(CreatedMailbox created) {
			return new CreatedJson(MailboxJson.of(created.mailbox()), created.generatedPassword(), created.recoveryCode());
		}
	}

	record PasswordJson(String password) {
	}

	@PostMapping("/api/v1/mailboxes")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Create a regular mailbox; the password (if generated) and the recovery code are shown only here")
	CreatedJson create(Actor actor, @Valid @RequestBody CreateMailbox body) {
		return CreatedJson.of(mailboxes.create(actor, new NewMailbox(body.domainId(), body.localPart(), body.password(),
				body.storageAllocationMb(), body.displayName())));
	}

	@PostMapping("/api/v1/mailboxes:bulk")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Create up to 100 mailboxes on one domain, all or nothing (422 with items errors)")
	Page<CreatedJson> createBulk(Actor actor, @Valid @RequestBody CreateBulk body) {
		List<NewMailbox> items = body.items()
			.stream()
			.map(i -> new NewMailbox(body.domainId(), i.localPart(), i.password(), i.storageAllocationMb(),
					i.displayName()))
			.toList();
		return new Page<>(mailboxes.createBulk(actor, body.domainId(), items).stream().map(CreatedJson::of).toList(),
				null);
	}

	@GetMapping("/api/v1/mailboxes")
	@RequiresScope("mailboxes:read")
	@Operation(summary = "The mailboxes; with include=pending also the pending setup invites (object: invite, "
			+ "status: setup_pending) in the same order and pages; status=setup_pending lists only those")
	Page<?> list(Actor actor, @RequestParam(name = "domain_id", required = false) UUID domainId,
			@RequestParam(required = false) String kind, @RequestParam(required = false) String status,
			@RequestParam(required = false) String q, @RequestParam(required = false) String include,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		if (include != null && !include.equals("pending")) {
			throw MailroomException.invalid("include", "invalid_value", "include is pending");
		}
		if (include == null && !"setup_pending".equals(status)) {
			return mailboxes.list(actor, domainId, kind, status, q, PageRequest.of(limit, cursor)).map(MailboxJson::of);
		}
		return mailboxes.listWithPending(actor, domainId, kind, status, q, PageRequest.of(limit, cursor))
			.map(row -> row.isPending() ? PendingJson.of(row.pending()) : new ListedMailboxJson(MailboxJson.of(row.mailbox())));
	}

	/** A mailbox in a list that also holds invites: {@code object: "mailbox"} and the mailbox's fields. */
	@JsonPropertyOrder("object")
	record ListedMailboxJson(@JsonUnwrapped MailboxJson mailbox) {

		@JsonProperty("object")
		String object() {
			return "mailbox";
		}
	}

	/** A pending setup invite in the mailbox list, as API.md shows it. */
	record PendingJson(String object, UUID id, @JsonInclude(JsonInclude.Include.ALWAYS) String address, UUID domainId,
			String recipientEmail, String status, Instant expiresAt) {

		static PendingJson of(PendingMailbox p) {
			return new PendingJson("invite", p.inviteId(), p.address(), p.domainId(), p.recipientEmail(), "setup_pending",
					p.expiresAt());
		}
	}

	@GetMapping("/api/v1/mailboxes/{id}")
	@RequiresScope("mailboxes:read")
	@Operation(summary = "One mailbox; with a mail plane connected also storage_used_mb and message_count")
	MailboxJson get(Actor actor, @PathVariable UUID id) {
		MailboxView mailbox = mailboxes.get(actor, id);
		return MailboxJson.of(mailbox, mailboxes.storageUsed(List.of(mailbox)).get(mailbox.id()));
	}

	@PatchMapping("/api/v1/mailboxes/{id}")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Change display_name or storage_allocation_mb (null = use the pool), or set status "
			+ "archived / active (archive, unarchive). Absent fields are left alone.")
	MailboxJson update(Actor actor, @PathVariable UUID id, @RequestBody JsonNode body) {
		if (!body.isObject()) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "malformed_request", "Send a JSON object");
		}
		for (String field : body.propertyNames()) {
			if (!List.of("display_name", "storage_allocation_mb", "status").contains(field)) {
				throw new MailroomException(HttpStatus.BAD_REQUEST, "malformed_request", "Unknown field " + field);
			}
		}
		MailboxView result = null;
		if (body.has("display_name") || body.has("storage_allocation_mb")) {
			Optional<String> displayName = body.has("display_name") ? Optional.ofNullable(text(body, "display_name"))
					.or(() -> Optional.of("")) : Optional.empty();
			JsonNode storage = body.get("storage_allocation_mb");
			if (storage != null && !storage.isNull() && !storage.isInt()) {
				throw MailroomException.invalid("storage_allocation_mb", "invalid_value", "A whole number of MB, or null");
			}
			result = mailboxes.update(actor, id, displayName,
					storage == null || storage.isNull() ? Optional.empty() : Optional.of(storage.intValue()),
					storage != null && storage.isNull());
		}
		if (body.has("status")) {
			result = switch (String.valueOf(text(body, "status"))) {
				case "archived" -> mailboxes.archive(actor, id);
				case "active" -> mailboxes.unarchive(actor, id);
				default -> throw MailroomException.invalid("status", "invalid_value",
						"status is active or archived (DELETE moves a mailbox to the recycle bin)");
			};
		}
		if (result == null) {
			// an empty PATCH is still a write: the service checks the scope and changes nothing
			result = mailboxes.update(actor, id, Optional.empty(), Optional.empty(), false);
		}
		return MailboxJson.of(result);
	}

	private static String text(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw MailroomException.invalid(field, "invalid_value", field + " must be a string");
		}
		return value.asString();
	}

	@DeleteMapping("/api/v1/mailboxes/{id}")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Move a mailbox to the recycle bin (purged after the retention window)")
	void delete(Actor actor, @PathVariable UUID id) {
		mailboxes.delete(actor, id);
	}

	@PostMapping("/api/v1/mailboxes/{id}/restore")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Restore a mailbox from the recycle bin; 409 plan_limit_reached if the domain is full")
	MailboxJson restore(Actor actor, @PathVariable UUID id) {
		return MailboxJson.of(mailboxes.restore(actor, id));
	}

	@PostMapping("/api/v1/mailboxes/{id}/reset-password")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Admin password reset: set the given password, or generate one (returned once)")
	PasswordJson resetPassword(Actor actor, @PathVariable UUID id, @Valid @RequestBody(required = false) ResetPassword body) {
		return new PasswordJson(mailboxes.resetPassword(actor, id, body == null ? null : body.password()).orElse(null));
	}
}
