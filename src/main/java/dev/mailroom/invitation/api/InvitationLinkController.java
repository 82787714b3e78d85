package dev.mailroom.invitation.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.invitation.AcceptedAccess;
import dev.mailroom.invitation.AcceptedSetup;
import dev.mailroom.invitation.AcceptedTeam;
import dev.mailroom.invitation.InvitationInfo;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public twin of the invitation link page. Rate limited per client; never cached. */
@RestController
@Tag(name = "Invitation links")
class InvitationLinkController {

	private final InvitationService invitations;

	InvitationLinkController(InvitationService invitations) {
		this.invitations = invitations;
	}

	@ModelAttribute
	void privateResponse(HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Referrer-Policy", "no-referrer");
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record InfoJson(String kind, String status, String organizationName, String inviterName, String recipientEmail,
			String domain, String address, String localPart, boolean localPartChoosable, String permission,
			Instant expiresAt) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AvailabilityJson(boolean available, String code) {
	}

	/** {@code proof}: the {@code proof} parameter of the link as emailed (copied links have none). */
	record NewAccount(@Size(max = 254) String email, @Size(max = 256) String password, @Size(max = 200) String name,
			@Size(max = 128) String proof) {
	}

	record VerificationSentJson(String status) {
	}

	/** mailbox_setup: {local_part?, password}; address_access: {} (signed in with Basic) or {create_account}. */
	record Accept(@Size(max = 64) String localPart, @Size(max = 256) String password, NewAccount createAccount) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AccessJson(UUID mailboxId, String permission) {
	}

	record TeamJoinedJson(UUID organizationId) {
	}

	record MailboxRef(UUID id, String address) {
	}

	record AcceptedJson(MailboxRef mailbox, String recoveryCode) {
	}

	@GetMapping("/api/v1/invitations/{token}")
	@Operation(summary = "What an invitation link offers; 410 invite_expired|invite_canceled|invite_used; 404 unknown")
	InfoJson inspect(@PathVariable String token, HttpServletRequest request) {
		InvitationInfo info = invitations.inspect(token, request.getRemoteAddr());
		return new InfoJson(info.kind(), info.status(), info.organizationName(), info.inviterName(),
				info.recipientEmail(), info.domain(), info.address(), info.localPart(), info.localPartChoosable(),
				info.permission(), info.expiresAt());
	}

	@GetMapping("/api/v1/invitations/{token}/availability")
	AvailabilityJson availability(@PathVariable String token, @RequestParam(name = "local_part") String localPart,
			HttpServletRequest request) {
		String code = invitations.unavailability(token, localPart, request.getRemoteAddr());
		return new AvailabilityJson(code == null, code);
	}

	@PostMapping("/api/v1/invitations/{token}/accept")
	@Operation(summary = "Redeem a link. mailbox_setup: {local_part?, password} → 201 with the recovery code; "
			+ "address_access: signed in with HTTP Basic {} or {create_account: {email, password, name, proof}} → 200 {mailbox_id, permission} "
			+ "(proof: the proof parameter of the emailed link; without it 202 {status: verification_sent} and the account "
			+ "exists once its emailed verification link is used, then sign in and accept); "
			+ "team: the same → 200 {organization_id}, or 409 paid_plan_conflict / seat_limit_reached / already_member")
	ResponseEntity<?> accept(@PathVariable String token, @RequestBody Accept body, HttpServletRequest request) {
		String kind = invitations.kindOf(token);
		if (kind.equals("address_access") || kind.equals("team")) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			Actor signedIn = authentication != null && authentication.getPrincipal() instanceof Actor actor ? actor : null;
			NewAccount account = body.createAccount();
			InvitationService.NewAccount newAccount = account == null ? null
					: new InvitationService.NewAccount(account.email(), account.password(), account.name(), account.proof());
			if (kind.equals("team")) {
				AcceptedTeam joined = invitations.acceptTeam(token, signedIn, newAccount, request.getRemoteAddr());
				return joined.verificationSent() ? verificationSent() : ResponseEntity.ok(new TeamJoinedJson(joined.organizationId()));
			}
			AcceptedAccess accepted = invitations.acceptAccess(token, signedIn, newAccount, request.getRemoteAddr());
			return accepted.verificationSent() ? verificationSent()
					: ResponseEntity.ok(new AccessJson(accepted.mailboxId(), accepted.permission()));
		}
		AcceptedSetup accepted = invitations.acceptSetup(token, body.localPart(), body.password(), request.getRemoteAddr());
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new AcceptedJson(new MailboxRef(accepted.mailboxId(), accepted.address()), accepted.recoveryCode()));
	}

	/** A copied link proves nothing about the inbox: the account waits for its emailed verification link. */
	private static ResponseEntity<VerificationSentJson> verificationSent() {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(new VerificationSentJson("verification_sent"));
	}
}
