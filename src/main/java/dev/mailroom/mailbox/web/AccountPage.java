package dev.mailroom.mailbox.web;

import dev.mailroom.identity.LoginService;
import dev.mailroom.mailbox.MailboxService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in person's own account: the mailboxes whose login they are, changing their
 * password, and replacing their recovery code (shown once, in the answer). It is the home of a
 * mailbox's own login (which belongs to no organization); people with an organization may use it
 * to change their password. It lives with mailboxes because it lists the person's mailboxes
 * (identity may not depend on the mailbox module, which depends on it).
 */
@PageController
class AccountPage {

	private final MailboxService mailboxes;
	private final LoginService logins;

	AccountPage(MailboxService mailboxes, LoginService logins) {
		this.mailboxes = mailboxes;
		this.logins = logins;
	}

	record ChangePasswordForm(
			@BindParam("current_password") @Size(max = 200, message = "Use at most 128 characters") String currentPassword,
			@BindParam("new_password") @Size(max = 200, message = "Use at most 128 characters") String newPassword) {
	}

	record NewRecoveryCodeForm(
			@BindParam("current_password") @Size(max = 200, message = "Use at most 128 characters") String currentPassword) {
	}

	@GetMapping("/account")
	String account(Actor actor, Model model) {
		return page(actor, model);
	}

	@PostMapping("/account/password")
	String changePassword(Actor actor, @Valid ChangePasswordForm form, HttpSession session, RedirectAttributes redirect) {
		// this browser stays signed in; every other session of the person ends
		logins.changeOwnPassword(actor, form.currentPassword(), form.newPassword(), session.getId());
		redirect.addFlashAttribute("notice",
				"Your password was changed and you were signed out everywhere else. Use the new one from now on, in your mail apps.");
		return "redirect:/account";
	}

	@PostMapping("/account/recovery-code")
	String newRecoveryCode(Actor actor, @Valid NewRecoveryCodeForm form, Model model) {
		model.addAttribute("newRecoveryCode", logins.replaceOwnRecoveryCode(actor, form.currentPassword()));
		return page(actor, model);
	}

	private String page(Actor actor, Model model) {
		model.addAttribute("ownMailboxes", mailboxes.ownLogins(actor.userId()));
		return "mailbox/account";
	}
}
