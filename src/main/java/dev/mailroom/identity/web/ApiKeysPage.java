package dev.mailroom.identity.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.PageController;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * API keys of the organization. A new key's token is rendered straight into the answer to the
 * create request and never stored anywhere (not even in the session as a flash attribute), so a
 * reload cannot show it again.
 */
@PageController
class ApiKeysPage {

	private final ApiKeyService keys;
	private final DomainService domains;

	ApiKeysPage(ApiKeyService keys, DomainService domains) {
		this.keys = keys;
		this.domains = domains;
	}

	record CreateKeyForm(@Size(max = 100, message = "Use at most 100 characters") String name,
			@Size(max = 20) List<String> scopes, @BindParam("domain_ids") @Size(max = 1000) List<UUID> domainIds) {
	}

	@GetMapping("/api-keys")
	String list(Actor actor, Model model) {
		return page(actor, model);
	}

	@PostMapping("/api-keys")
	String create(Actor actor, @Valid CreateKeyForm form, Model model) {
		List<UUID> limit = form.domainIds() == null || form.domainIds().isEmpty() ? null : form.domainIds();
		model.addAttribute("created", keys.create(actor, actor.orgId(), form.name(), form.scopes(), limit));
		return page(actor, model);
	}

	@PostMapping("/api-keys/{id}/revoke")
	String revoke(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		keys.revoke(actor, id);
		redirect.addFlashAttribute("notice", "The API key was revoked. Programs using it can no longer connect.");
		return "redirect:/api-keys";
	}

	private String page(Actor actor, Model model) {
		Map<UUID, String> domainNames = new LinkedHashMap<>();
		for (DomainView domain : domains.list(actor, null, PageRequest.first(PageRequest.MAX_LIMIT)).items()) {
			domainNames.put(domain.id(), domain.name());
		}
		model.addAttribute("keys", keys.list(actor));
		model.addAttribute("scopes", ApiKeyService.SCOPES);
		model.addAttribute("domainNames", domainNames);
		return "identity/api-keys";
	}
}
