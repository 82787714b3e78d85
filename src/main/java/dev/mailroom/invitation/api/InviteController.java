package dev.mailroom.invitation.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.invitation.BulkInvite;
import dev.mailroom.invitation.BulkOutcome;
import dev.mailroom.invitation.BulkPreview;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.invitation.SendSetupInvite;
import dev.mailroom.invitation.SentInvite;
import dev.mailroom.platform.Actor;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mailbox setup invites")
class InviteController {

	private final InvitationService invitations;

	InviteController(InvitationService invitations) {
		this.invitations = invitations;
	}

	record SendInvite(@NotNull UUID domainId, @NotNull @Size(max = 254) String recipientEmail,
			@Size(max = 64) String localPart, Integer storageAllocationMb, Integer expiresInHours,
			@Size(max = 10) String language) {
	}

	record Readdress(@NotNull @Size(max = 254) String recipientEmail) {
	}

	record Ids(@NotEmpty @Size(max = 100) List<@NotNull UUID> ids) {
	}

	record LinkJson(String link) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record OutcomeJson(UUID id, String status, Map<String, String> error) {
		static OutcomeJson of(BulkOutcome o) {
			return new OutcomeJson(o.id(), o.status(), o.errorCode() == null ? null : Map.of("code", o.errorCode()));
		}
	}

	@PostMapping("/api/v1/mailboxes/invites")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Invite a person to set up their own mailbox; counts toward the cap at once and emails them")
	InviteJson send(Actor actor, @Valid @RequestBody SendInvite body) {
		SentInvite sent = invitations.send(actor, new SendSetupInvite(body.domainId(), body.recipientEmail(),
				body.localPart(), body.storageAllocationMb(), body.expiresInHours(), body.language()));
		return InviteJson.of(sent.invite(), sent.link());
	}

	record BulkItemJson(@Size(max = 254) String recipientEmail, @Size(max = 64) String localPart,
			Integer storageAllocationMb) {
	}

	record BulkBody(@NotNull UUID domainId, Integer expiresInHours, @Size(max = 10) String language,
			@NotNull List<@NotNull @Valid BulkItemJson> items) {

		BulkInvite toCommand() {
			return new BulkInvite(domainId, expiresInHours, language, items.stream()
				.map(i -> new BulkInvite.Item(i.recipientEmail(), i.localPart(), i.storageAllocationMb()))
				.toList(), BulkInvite.Source.API);
		}
	}

	record PreviewItemJson(int index, String recipientEmail, String localPart, String address,
			Integer storageAllocationMb, List<dev.mailroom.platform.MailroomException.FieldError> errors) {
	}

	record PreviewJson(List<PreviewItemJson> items, BulkPreview.Summary summary) {
	}

	@PostMapping("/api/v1/mailboxes/invites:preview")
	@RequiresScope("mailboxes:read")
	@Operation(summary = "Check a batch without sending: per-item problems and the room left (≤100 items)")
	PreviewJson preview(Actor actor, @Valid @RequestBody BulkBody body) {
		BulkPreview preview = invitations.preview(actor, body.toCommand());
		return new PreviewJson(preview.items()
			.stream()
			.map(i -> new PreviewItemJson(i.index(), i.recipientEmail(), i.localPart(), i.address(),
					i.storageAllocationMb(), i.errors()))
			.toList(), preview.summary());
	}

	@PostMapping("/api/v1/mailboxes/invites:bulk")
	@RequiresScope("mailboxes:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Send up to 100 setup invites, all or nothing (422 with items errors; >100 → too_many_items)")
	BulkSentJson sendBulk(Actor actor, @Valid @RequestBody BulkBody body) {
		return BulkSentJson.of(invitations.sendBulk(actor, body.toCommand()));
	}

	@GetMapping("/api/v1/mailboxes/invites")
	@RequiresScope("mailboxes:read")
	Page<InviteJson> list(Actor actor, @RequestParam(required = false) String status,
			@RequestParam(name = "domain_id", required = false) UUID domainId,
			@RequestParam(name = "batch_id", required = false) UUID batchId, @RequestParam(required = false) Integer limit,
			@RequestParam(required = false) String cursor) {
		return invitations.list(actor, status, domainId, batchId, PageRequest.of(limit, cursor))
			.map(i -> InviteJson.of(i, null));
	}

	@GetMapping("/api/v1/mailboxes/invites/{id}")
	@RequiresScope("mailboxes:read")
	InviteJson get(Actor actor, @PathVariable UUID id) {
		return InviteJson.of(invitations.get(actor, id), null);
	}

	@PostMapping("/api/v1/mailboxes/invites/{id}/resend")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Send a new link (the old one stops working) with a fresh expiry")
	InviteJson resend(Actor actor, @PathVariable UUID id) {
		SentInvite sent = invitations.resend(actor, id);
		return InviteJson.of(sent.invite(), sent.link());
	}

	@PatchMapping("/api/v1/mailboxes/invites/{id}")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Change the recipient and resend (the old link stops working)")
	InviteJson readdress(Actor actor, @PathVariable UUID id, @Valid @RequestBody Readdress body) {
		SentInvite sent = invitations.readdress(actor, id, body.recipientEmail());
		return InviteJson.of(sent.invite(), sent.link());
	}

	@PostMapping("/api/v1/mailboxes/invites/{id}/cancel")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "Cancel: the link stops working and no mailbox will ever be made from it")
	InviteJson cancel(Actor actor, @PathVariable UUID id) {
		return InviteJson.of(invitations.cancel(actor, id), null);
	}

	@GetMapping("/api/v1/mailboxes/invites/{id}/link")
	@RequiresScope("mailboxes:write")
	@Operation(summary = "The current link of a pending invite (not rotated)")
	LinkJson link(Actor actor, @PathVariable UUID id) {
		return new LinkJson(invitations.currentLink(actor, id));
	}

	@PostMapping("/api/v1/mailboxes/invites:bulk-resend")
	@RequiresScope("mailboxes:write")
	Page<OutcomeJson> bulkResend(Actor actor, @Valid @RequestBody Ids body) {
		return new Page<>(invitations.bulkResend(actor, body.ids()).stream().map(OutcomeJson::of).toList(), null);
	}

	@PostMapping("/api/v1/mailboxes/invites:bulk-cancel")
	@RequiresScope("mailboxes:write")
	Page<OutcomeJson> bulkCancel(Actor actor, @Valid @RequestBody Ids body) {
		return new Page<>(invitations.bulkCancel(actor, body.ids()).stream().map(OutcomeJson::of).toList(), null);
	}
}
