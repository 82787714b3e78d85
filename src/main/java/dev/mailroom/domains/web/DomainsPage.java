package dev.mailroom.domains.web;

import java.util.UUID;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.DomainView;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.web.PageController;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The domains of the organization: add, publish the TXT record, verify, delete. */
@PageController
class DomainsPage {

	private final DomainService domains;

	DomainsPage(DomainService domains) {
		this.domains = domains;
	}

	record AddDomainForm(@Size(max = 253, message = "Use at most 253 characters") String name) {
	}

	@GetMapping("/domains")
	String list(Actor actor, @RequestParam(required = false) String cursor, Model model) {
		model.addAttribute("page", domains.list(actor, null, PageRequest.of(null, cursor)));
		model.addAttribute("paged", cursor != null && !cursor.isBlank());
		return "domains/index";
	}

	@PostMapping("/domains")
	String add(Actor actor, @Valid AddDomainForm form, RedirectAttributes redirect) {
		DomainView domain = domains.add(actor, form.name());
		redirect.addFlashAttribute("notice",
				domain.name() + " was added. Publish the TXT record below at your DNS provider, then choose “Verify now”.");
		return "redirect:/domains";
	}

	/** With htmx the answer is the domain's card, swapped in place; without, the page again. */
	@PostMapping("/domains/{id}/verify")
	String verify(Actor actor, @PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) String htmx,
			Model model, RedirectAttributes redirect) {
		DomainView domain = domains.verify(actor, id);
		if ("true".equals(htmx)) {
			model.addAttribute("domain", domain);
			model.addAttribute("justVerified", true);
			return "domains/index :: domain";
		}
		redirect.addFlashAttribute("notice", domain.name() + " is verified and active.");
		return "redirect:/domains";
	}

	@PostMapping("/domains/{id}/delete")
	String delete(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
		domains.delete(actor, id);
		redirect.addFlashAttribute("notice", "The domain was deleted.");
		return "redirect:/domains";
	}
}
