package dev.mailroom.identity.web;

import dev.mailroom.identity.LoginService;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * "Forgot password?" for a mailbox's own login (public): the address, its recovery code and a
 * new password set the password and issue a new code, shown once in the answer. Every failure
 * is the service's one generic message, whatever was wrong. The code's field is named so that a
 * refused form never keeps it (secrets are left out of the values a refused form shows again).
 */
@PageController
class RecoveryPage {

	private final LoginService logins;

	RecoveryPage(LoginService logins) {
		this.logins = logins;
	}

	/** No shape validation: every failure must look the same (the service's one message). */
	record RecoveryForm(String address, @BindParam("recovery_secret") String recoveryCode,
			@BindParam("new_password") String newPassword) {
	}

	@GetMapping("/recovery")
	String form() {
		return "identity/recovery";
	}

	@PostMapping("/recovery")
	String reset(RecoveryForm form, HttpServletRequest request, Model model) {
		model.addAttribute("newRecoveryCode", logins.resetWithRecoveryCode(form.address(), form.recoveryCode(),
				form.newPassword(), request.getRemoteAddr()));
		model.addAttribute("address", form.address());
		return "identity/recovery";
	}
}
