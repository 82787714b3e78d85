package dev.mailroom.identity.api;

import java.util.UUID;

import dev.mailroom.identity.IdentityService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-up and keys")
class SignupController {

	private final IdentityService identity;
	SignupController(IdentityService identity) {
		this.identity = identity;
	}

	record SignUp(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 200) String password,
			@NotBlank @Size(max = 200) String name) {
	}

	record SignUpJson(String status) {
	}

	record VerifiedJson(UUID userId, UUID personalOrganizationId, String email) {
	}

	@PostMapping("/api/v1/signup")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Start a sign-up: 202 {status: verification_sent} whatever the email (no enumeration); the "
			+ "address gets a one-time link {MAILROOM_BASE_URL}/verify-email/{token} (24 hours), or \"you already have "
			+ "an account\"; a repeated sign-up replaces the pending password and sends a new link; 403 signup_disabled")
	SignUpJson signUp(@Valid @RequestBody SignUp body, HttpServletRequest request) {
		identity.signUp(body.email(), body.password(), body.name(), request.getRemoteAddr());
		return new SignUpJson("verification_sent");
	}

	@PostMapping("/api/v1/email-verifications/{token}")
	@Operation(summary = "Use a verification link: creates the account and its personal organization (free plan); "
			+ "410 verification_used / verification_expired, 404 unknown")
	VerifiedJson verify(@PathVariable String token, HttpServletRequest request) {
		var verified = identity.verifyEmail(token, request.getRemoteAddr());
		return new VerifiedJson(verified.userId(), verified.personalOrganizationId(), verified.email());
	}
}
