package dev.mailroom.sharing.api;

import java.util.List;
import java.util.UUID;

import dev.mailroom.mailbox.api.MailboxJson;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.RequiresScope;
import dev.mailroom.sharing.NewMember;
import dev.mailroom.sharing.SharingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Shared mailboxes")
class SharedMailboxController {

	private final SharingService sharing;

	SharedMailboxController(SharingService sharing) {
		this.sharing = sharing;
	}

	record MemberRef(@NotNull UUID mailboxId, @Size(max = 20) String permission) {
	}

	record CreateShared(@NotNull UUID domainId, @NotNull @Size(max = 64) String localPart,
			@Size(max = 200) String displayName, @NotNull @Size(max = 500) List<@NotNull @Valid MemberRef> members) {
	}

	record Members(@NotNull @Size(max = 500) List<@NotNull @Valid MemberRef> members) {
	}

	record ToRegular(@Size(max = 128) String password) {
	}

	record Permission(@NotNull @Size(max = 20) String permission) {
	}

	private static List<NewMember> team(List<MemberRef> refs) {
		return refs.stream().map(r -> new NewMember(r.mailboxId(), r.permission())).toList();
	}

	@PostMapping("/api/v1/shared-mailboxes")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Create a shared mailbox (no password, ever) with at least one member")
	MailboxJson create(Actor actor, @Valid @RequestBody CreateShared body) {
		return MailboxJson.of(sharing.create(actor, body.domainId(), body.localPart(), body.displayName(),
				team(body.members())));
	}

	@PostMapping("/api/v1/mailboxes/{id}/convert-to-shared")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Convert a regular mailbox to shared: its password and recovery code stop working everywhere")
	MailboxJson convertToShared(Actor actor, @PathVariable UUID id, @Valid @RequestBody Members body) {
		return MailboxJson.of(sharing.convertToShared(actor, id, team(body.members())));
	}

	@PostMapping("/api/v1/mailboxes/{id}/convert-to-regular")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Convert a shared mailbox to regular: members removed; the password (if generated) "
			+ "and a new recovery code are shown only here")
	RegularJson convertToRegular(Actor actor, @PathVariable UUID id,
			@Valid @RequestBody(required = false) ToRegular body) {
		return RegularJson.of(sharing.convertToRegular(actor, id, body == null ? null : body.password()));
	}

	@GetMapping("/api/v1/mailboxes/{id}/members")
	@RequiresScope("mailboxes:read")
	Page<MemberJson> members(Actor actor, @PathVariable UUID id) {
		return new Page<>(sharing.members(actor, id).stream().map(MemberJson::of).toList(), null);
	}

	@PostMapping("/api/v1/mailboxes/{id}/members")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	Page<MemberJson> add(Actor actor, @PathVariable UUID id, @Valid @RequestBody Members body) {
		return new Page<>(sharing.add(actor, id, team(body.members())).stream().map(MemberJson::of).toList(), null);
	}

	@PatchMapping("/api/v1/mailboxes/{id}/members/{memberMailboxId}")
	@RequiresScope("mailboxes:write")
	MemberJson setPermission(Actor actor, @PathVariable UUID id, @PathVariable UUID memberMailboxId,
			@Valid @RequestBody Permission body) {
		return MemberJson.of(sharing.setPermission(actor, id, memberMailboxId, body.permission()));
	}

	@DeleteMapping("/api/v1/mailboxes/{id}/members/{memberMailboxId}")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Remove a member at once; the last one → 409 last_member")
	void remove(Actor actor, @PathVariable UUID id, @PathVariable UUID memberMailboxId) {
		sharing.remove(actor, id, memberMailboxId);
	}
}
