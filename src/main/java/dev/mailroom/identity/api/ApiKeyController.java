package dev.mailroom.identity.api;

import java.util.List;
import java.util.UUID;

import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.identity.ApiKeyView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-up and keys")
class ApiKeyController {

	private final ApiKeyService keys;

	ApiKeyController(ApiKeyService keys) {
		this.keys = keys;
	}

	record CreateKey(UUID organizationId, @NotBlank @Size(max = 100) String name,
			@NotEmpty @Size(max = 20) List<@NotBlank String> scopes, @Size(max = 1000) List<UUID> domainIds) {
	}

	record CreatedKeyJson(UUID id, String token, List<String> scopes, UUID organizationId, List<UUID> domainIds) {
	}

	@PostMapping("/api/v1/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	@RequiresScope("api_keys:write")
	@Operation(summary = "Create an API key with HTTP Basic (email + password), or with a key holding api_keys:write "
			+ "(within its own organization, scopes and domains); the token is shown only here")
	CreatedKeyJson create(Actor actor, @Valid @RequestBody CreateKey body) {
		var created = keys.create(actor, body.organizationId(), body.name(), body.scopes(), body.domainIds());
		return new CreatedKeyJson(created.key().id(), created.token(), created.key().scopes(),
				created.key().organizationId(), created.key().domainIds());
	}

	@GetMapping("/api/v1/api-keys")
	@RequiresScope("api_keys:read")
	java.util.Map<String, Object> list(Actor actor) {
		List<ApiKeyView> items = keys.list(actor);
		java.util.Map<String, Object> page = new java.util.LinkedHashMap<>();
		page.put("items", items);
		page.put("next_cursor", null);
		return page;
	}

	@GetMapping("/api/v1/api-keys/{id}")
	@RequiresScope("api_keys:read")
	ApiKeyView get(Actor actor, @PathVariable UUID id) {
		return keys.get(actor, id);
	}

	@DeleteMapping("/api/v1/api-keys/{id}")
	@RequiresScope("api_keys:write")
	@Operation(summary = "Revoke a key at once; a key may always revoke itself")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revoke(Actor actor, @PathVariable UUID id) {
		keys.revoke(actor, id);
	}
}
