package dev.mailroom.invitation.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mailroom.identity.Passwords;
import dev.mailroom.identity.SessionSignIn;
import dev.mailroom.invitation.AcceptedAccess;
import dev.mailroom.invitation.AcceptedSetup;
import dev.mailroom.invitation.AcceptedTeam;
import dev.mailroom.invitation.InvitationInfo;
import dev.mailroom.platform.Actor;
import dev.mailroom.invitation.InvitationService;
import dev.mailroom.mailbox.LocalPart;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.web.FormValues;
import dev.mailroom.platform.web.PageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The public page of an invitation link ({@code /invite/{token}}): for a mailbox setup, what the
 * invitation offers, the choice of the local part (with a live availability check) and of the
 * password; for an address shared or a team, accepting signed in or with a new account (a team
 * page explains up front why a signed-in person cannot join, e.g. another paid plan). GET and
 * HEAD change nothing, however often a mail scanner opens them; only the form's POST uses the
 * link. The new mailbox's recovery code is rendered straight into the answer to that POST and
 * never kept anywhere. Every answer is private: {@code Cache-Control: no-store}, and
 * {@code Referrer-Policy: no-referrer} so that the token in the address never leaks.
 * <p>
 * A refused form comes back (POST-redirect-GET) to this page itself: without a Referer the
 * shared page advice could not tell where the form was.
 */
@PageController
class InvitationPage {

	private final InvitationService invitations;
	private final SessionSignIn sessions;
	private final PublicUrls urls;

	InvitationPage(InvitationService invitations, SessionSignIn sessions, PublicUrls urls) {
		this.invitations = invitations;
		this.sessions = sessions;
		this.urls = urls;
	}

	/** No length annotations: lengths are the service's to refuse, into this page (not a Referer's). */
	record AcceptForm(@BindParam("local_part") String localPart, String password,
			@BindParam("password_confirmation") String passwordConfirmation) {
	}

	@ModelAttribute
	void privateResponse(HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Referrer-Policy", "no-referrer");
	}

	@GetMapping("/invite/{token}")
	String show(@PathVariable String token, @RequestParam(required = false) String proof, Authentication authentication,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		try {
			model.addAttribute("invitation", invitations.inspect(token, request.getRemoteAddr()));
		}
		catch (MailroomException e) {
			return unusable(e, response, model);
		}
		model.addAttribute("token", token);
		// the emailed link's proof of the inbox, carried by the account form (copied links have none)
		model.addAttribute("proof", proof);
		InvitationInfo info = (InvitationInfo) model.getAttribute("invitation");
		if (info.kind().equals("team")) {
			Actor signedIn = signedIn(authentication);
			if (signedIn != null && signedIn.userId() != null) {
				// say why they cannot join before they try (another paid plan, no free seat, already in)
				try {
					invitations.checkTeamJoin(token, signedIn.userId());
				}
				catch (MailroomException e) {
					return teamRefused(e, response, model);
				}
			}
			return "invitation/team";
		}
		return info.kind().equals("address_access") ? "invitation/share" : "invitation/accept";
	}

	/**
	 * Accepts a team invitation as the signed-in person, or for an account made right here (then
	 * signed in); either way the session moves to the team and lands on the Mail page.
	 */
	@PostMapping("/invite/{token}/team")
	String acceptTeam(@PathVariable String token, AccountForm form, Authentication authentication,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Actor signedIn = signedIn(authentication);
		AcceptedTeam joined;
		InvitationInfo info;
		try {
			info = invitations.inspect(token, request.getRemoteAddr());
			joined = invitations.acceptTeam(token, signedIn, newAccount(signedIn, form),
					request.getRemoteAddr());
		}
		catch (MailroomException e) {
			if (e.status() == HttpStatus.GONE || e.status() == HttpStatus.NOT_FOUND) {
				return unusable(e, response, model);
			}
			if (e.status() == HttpStatus.CONFLICT && !"email_taken".equals(e.code())) {
				model.addAttribute("invitation", invitations.inspect(token, request.getRemoteAddr()));
				model.addAttribute("token", token);
				return teamRefused(e, response, model);
			}
			return refused(e, request, redirect);
		}
		if (joined.verificationSent()) {
			return verificationSent(info, model);
		}
		if (signedIn == null) {
			sessions.signIn(joined.userId(), request, response);
		}
		else {
			sessions.switchOrganization(signedIn, joined.organizationId(), request, response);
		}
		redirect.addFlashAttribute("notice", "Welcome to " + info.organizationName()
				+ ". Your mail is here; your mailboxes in the team are under Mailboxes, where only you and the owner see them.");
		return "redirect:/mail";
	}

	/**
	 * "Sign in" on an invitation page: the only protected path under {@code /invite}, so an
	 * anonymous visitor is sent to sign in and comes back here, and from here to the invitation.
	 */
	@GetMapping("/invite/{token}/signed-in")
	String signedIn(@PathVariable String token) {
		return "redirect:/invite/{token}";
	}

	/** The team page, explaining why this person cannot join (409 paid_plan_conflict and the like). */
	private static String teamRefused(MailroomException e, HttpServletResponse response, Model model) {
		response.setStatus(e.status().value());
		model.addAttribute("refusal", e.code());
		model.addAttribute("refusalDetail", e.getMessage());
		return "invitation/team";
	}

	/** A new account made on the share or team page; {@code proof} from the emailed link, if it was that one. */
	record AccountForm(String name, String email, String password, String proof) {
	}

	/**
	 * The link was not opened from the invitation email (no proof of the inbox): the account is a
	 * sign-up whose emailed link must be used first; the invitation stays open for it.
	 */
	private static String verificationSent(InvitationInfo info, Model model) {
		model.addAttribute("invitation", info);
		model.addAttribute("sentTo", info.recipientEmail());
		return "invitation/verify-first";
	}

	/** Who is signed in on this page, if anyone. */
	private static Actor signedIn(Authentication authentication) {
		return authentication != null && authentication.getPrincipal() instanceof Actor actor ? actor : null;
	}

	/** The account to make from the form, unless someone is signed in already (they accept as themselves). */
	private static InvitationService.NewAccount newAccount(Actor signedIn, AccountForm form) {
		return signedIn != null ? null
				: new InvitationService.NewAccount(form.email(), form.password(), form.name(), form.proof());
	}

	/**
	 * Accepts an address-access link: as the signed-in person, or for an account made right here
	 * (then signed in). The answer says which address they may now open.
	 */
	@PostMapping("/invite/{token}/share")
	String acceptShare(@PathVariable String token, AccountForm form, Authentication authentication,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Actor signedIn = signedIn(authentication);
		AcceptedAccess accepted;
		InvitationInfo info;
		try {
			info = invitations.inspect(token, request.getRemoteAddr());
			accepted = invitations.acceptAccess(token, signedIn, newAccount(signedIn, form),
					request.getRemoteAddr());
		}
		catch (MailroomException e) {
			if (e.status() == HttpStatus.GONE || e.status() == HttpStatus.NOT_FOUND) {
				return unusable(e, response, model);
			}
			return refused(e, request, redirect);
		}
		if (accepted.verificationSent()) {
			return verificationSent(info, model);
		}
		if (signedIn == null) {
			sessions.signIn(accepted.userId(), request, response);
		}
		model.addAttribute("invitation", info);
		model.addAttribute("accepted", accepted);
		return "invitation/shared";
	}

	/** The live check as the person types (htmx): a small fragment, never an error page. */
	@GetMapping("/invite/{token}/availability")
	String availability(@PathVariable String token, @RequestParam(name = "local_part", required = false) String localPart,
			HttpServletRequest request, Model model) {
		String value = localPart == null ? "" : localPart.strip();
		String code = value.isEmpty() ? "empty" : invitations.unavailability(token, value, request.getRemoteAddr());
		if ("invalid_local_part".equals(code) && LocalPart.isReservedName(value)) {
			// the API keeps the code; a person is told the name is reserved, not that it is malformed
			model.addAttribute("availability", "reserved");
			model.addAttribute("reservedMessage", LocalPart.reservedMessage(value.toLowerCase(java.util.Locale.ROOT)));
		}
		else {
			model.addAttribute("availability", code == null ? "available" : code);
		}
		return "invitation/accept :: availability";
	}

	@PostMapping("/invite/{token}")
	String accept(@PathVariable String token, AcceptForm form, HttpServletRequest request,
			HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (form.localPart() != null && form.localPart().isBlank()) {
			problems.put("local_part", "Choose the part before the @");
		}
		String weakness = Passwords.weakness(form.password(), form.localPart());
		if (weakness != null) {
			problems.put("password", weakness);
		}
		if (form.password() != null && !form.password().equals(form.passwordConfirmation())) {
			problems.put("password_confirmation", "The two passwords do not match");
		}
		if (!problems.isEmpty()) {
			return refused("Please check the highlighted fields.", problems, request, redirect);
		}
		AcceptedSetup accepted;
		try {
			accepted = invitations.acceptSetup(token, form.localPart(), form.password(), request.getRemoteAddr());
		}
		catch (MailroomException e) {
			if (e.status() == HttpStatus.GONE || e.status() == HttpStatus.NOT_FOUND) {
				return unusable(e, response, model);
			}
			return refused(e, request, redirect);
		}
		sessions.signIn(accepted.loginUserId(), request, response);
		// the page was prepared for whoever was signed in before (if anyone), whose session and CSRF
		// token are gone now: it shows no account bar; "Continue" opens the new one's account
		model.asMap().remove("currentUser");
		model.addAttribute("accepted", accepted);
		model.addAttribute("recoveryFile", recoveryFile(accepted));
		return "invitation/accepted";
	}

	/**
	 * The refused form again, on this page, with what was typed (never the passwords). Reasons
	 * that belong to a field are shown by the field; the message on top only points at them.
	 */
	private static String refused(MailroomException e, HttpServletRequest request, RedirectAttributes redirect) {
		Map<String, String> fieldErrors = new LinkedHashMap<>();
		e.errors().forEach(error -> fieldErrors.putIfAbsent(error.field(), error.message()));
		return refused(e.getMessage(), fieldErrors, request, redirect);
	}

	private static String refused(String message, Map<String, String> fieldErrors, HttpServletRequest request,
			RedirectAttributes redirect) {
		redirect.addFlashAttribute("error", fieldErrors.isEmpty() ? message : "Please check the highlighted fields.");
		redirect.addFlashAttribute("fieldErrors", new HashMap<>(fieldErrors));
		redirect.addFlashAttribute("form", FormValues.of(request.getParameterMap()));
		String proof = request.getParameter("proof");
		if (proof != null && !proof.isBlank()) {
			// back to the page as emailed: the next try still proves the inbox
			redirect.addAttribute("proof", proof);
		}
		return "redirect:/invite/{token}";
	}

	/** Expired, canceled, replaced, used (410) or unknown (404): a page that says so, without a form. */
	private static String unusable(MailroomException e, HttpServletResponse response, Model model) {
		if (e.status() != HttpStatus.GONE && e.status() != HttpStatus.NOT_FOUND) {
			throw e;
		}
		response.setStatus(e.status().value());
		model.addAttribute("reason", e.status() == HttpStatus.NOT_FOUND ? "unknown" : e.code());
		model.addAttribute("detail", e.getMessage());
		return "invitation/unusable";
	}

	/** The text of "Download as .txt" (made into a file by the browser; nothing is stored). */
	private String recoveryFile(AcceptedSetup accepted) {
		return """
				Mailroom recovery code

				Mailbox:       %s
				Recovery code: %s

				With this code you can set a new password yourself if you ever forget yours:
				choose "Forgot password?" on the sign-in page (%s).
				Keep it somewhere safe, away from your password. It works once; a new one is then issued.
				""".formatted(accepted.address(), accepted.recoveryCode(), urls.of("/recovery"));
	}
}
