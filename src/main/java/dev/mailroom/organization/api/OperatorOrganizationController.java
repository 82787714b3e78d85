package dev.mailroom.organization.api;

import java.util.Map;
import java.util.UUID;

import dev.mailroom.organization.OrganizationService;
import dev.mailroom.organization.OrganizationView;
import dev.mailroom.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Operator")
class OperatorOrganizationController {

	private final OrganizationService organizations;

	OperatorOrganizationController(OrganizationService organizations) {
		this.organizations = organizations;
	}

	record ChangePlan(@Pattern(regexp = "[a-z]{1,30}") String plan, Map<String, Long> limits) {
	}

	@PatchMapping("/api/v1/operator/organizations/{id}")
	@Operation(summary = "Change an organization's plan and limit overrides (a null limit removes its override)")
	OrganizationJson change(Actor actor, @PathVariable UUID id, @Valid @RequestBody ChangePlan body) {
		return OrganizationJson.of(organizations.changePlan(actor, id, body.plan(), body.limits()));
	}

	record OrganizationJson(UUID id, String name, String plan, boolean personal, Map<String, Object> limits) {
		static OrganizationJson of(OrganizationView view) {
			return new OrganizationJson(view.id(), view.name(), view.plan(), view.personal(), view.limits().asMap());
		}
	}
}
