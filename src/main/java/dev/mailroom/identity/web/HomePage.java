package dev.mailroom.identity.web;

import java.security.Principal;

import dev.mailroom.platform.web.PageController;
import org.springframework.web.bind.annotation.GetMapping;

/** The bare address: the dashboard for someone signed in, the sign-in page for anyone else. */
@PageController
class HomePage {

	@GetMapping("/")
	String home(Principal principal) {
		return principal == null ? "redirect:/signin" : "redirect:/dashboard";
	}
}
