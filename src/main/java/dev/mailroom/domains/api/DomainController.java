package dev.mailroom.domains.api;

import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Domains")
class DomainController {

	private final DomainService domains;

	DomainController(DomainService domains) {
		this.domains = domains;
	}

	record AddDomain(@NotBlank @Size(max = 253) String name) {
	}

	@PostMapping("/api/v1/domains")
	@RequiresScope("domains:write")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Add a domain (a pending claim until its TXT record is verified; it expires after 7 days)")
	DomainJson add(Actor actor, @Valid @RequestBody AddDomain body) {
		return DomainJson.of(domains.add(actor, body.name()));
	}

	@GetMapping("/api/v1/domains")
	@RequiresScope("domains:read")
	Page<DomainJson> list(Actor actor, @RequestParam(required = false) String status,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return domains.list(actor, status, PageRequest.of(limit, cursor)).map(DomainJson::of);
	}

	@GetMapping("/api/v1/domains/{id}")
	@RequiresScope("domains:read")
	DomainJson get(Actor actor, @PathVariable UUID id) {
		return DomainJson.of(domains.get(actor, id));
	}

	@DeleteMapping("/api/v1/domains/{id}")
	@RequiresScope("domains:write")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a domain (refused with domain_in_use while mailboxes or pending invites use it; dead invites go with it)")
	void delete(Actor actor, @PathVariable UUID id) {
		domains.delete(actor, id);
	}

	@PostMapping("/api/v1/domains/{id}/verify")
	@RequiresScope("domains:write")
	@Operation(summary = "Look the TXT record up in DNS; 409 dns_record_not_found until it is published, domain_taken when another claim won, domain_claim_expired after 7 days")
	DomainJson verify(Actor actor, @PathVariable UUID id) {
		return DomainJson.of(domains.verify(actor, id));
	}

	@PostMapping("/api/v1/operator/domains/{id}/mark-verified")
	@Tag(name = "Operator")
	@Operation(summary = "Operator: activate a domain without DNS")
	DomainJson markVerified(Actor actor, @PathVariable UUID id) {
		return DomainJson.of(domains.markVerified(actor, id));
	}

}
