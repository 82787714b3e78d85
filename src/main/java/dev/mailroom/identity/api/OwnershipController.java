package dev.mailroom.identity.api;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The ownership invitation the operator's organization-create sends to an existing account. */
@RestController
@Tag(name = "Sign-up and keys")
class OwnershipController {

	private final IdentityService identity;

	OwnershipController(IdentityService identity) {
		this.identity = identity;
	}

	record OwnershipJson(UUID organizationId, String role) {
	}

	record OwnershipOfferJson(UUID organizationId, String organizationName, String plan, String email) {
	}

	@GetMapping("/api/v1/ownership-invitations/{token}")
	@Operation(summary = "What an ownership link offers (changes nothing); 404 unknown, 410 invite_used / invite_expired")
	OwnershipOfferJson offer(@PathVariable String token) {
		var offer = identity.ownershipOffer(token);
		return new OwnershipOfferJson(offer.organizationId(), offer.organizationName(), offer.plan(), offer.email());
	}

	@PostMapping("/api/v1/ownership-invitations/{token}/accept")
	@Operation(summary = "The invited account (HTTP Basic) accepts and becomes owner; 403 invite_email_mismatch, "
			+ "410 invite_used / invite_expired")
	OwnershipJson accept(@PathVariable String token) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		Actor signedIn = authentication != null && authentication.getPrincipal() instanceof Actor a ? a : null;
		return new OwnershipJson(identity.acceptOwnership(token, signedIn), "owner");
	}
}
