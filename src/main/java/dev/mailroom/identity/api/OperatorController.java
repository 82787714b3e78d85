package dev.mailroom.identity.api;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import dev.mailroom.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Operator")
class OperatorController {

	private final IdentityService identity;

	OperatorController(IdentityService identity) {
		this.identity = identity;
	}

	record Owner(@NotBlank @Size(max = 254) String email, @Size(max = 200) String password,
			@Size(max = 200) String name) {
	}

	record CreateOrganization(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 30) String plan,
			@NotNull @Valid Owner owner) {
	}

	record OrganizationJson(UUID id, String name, String plan, UUID ownerUserId, String ownerStatus) {
	}

	@PostMapping("/api/v1/operator/organizations")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Operator: create an organization and its owner. A new email becomes a verified account with "
			+ "that password (owner_status created); an email with an account is emailed an ownership invitation and "
			+ "owns the organization once it accepts (owner_status invited, owner_user_id null, the password unused)")
	OrganizationJson create(Actor actor, @Valid @RequestBody CreateOrganization body) {
		var created = identity.createOrganizationWithOwner(actor, body.name(), body.plan(), body.owner().email(),
				body.owner().password(), body.owner().name());
		return new OrganizationJson(created.organization().id(), created.organization().name(),
				created.organization().plan(), created.ownerUserId(), created.ownerStatus());
	}
}
