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

	record SignedUpJson(UUID userId, UUID personalOrganizationId) {
	}

	@PostMapping("/api/v1/signup")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Create an account and its personal organization (free plan); 403 signup_disabled")
	SignedUpJson signUp(@Valid @RequestBody SignUp body, HttpServletRequest request) {
		var result = identity.signUp(body.email(), body.password(), body.name(), request.getRemoteAddr());
		return new SignedUpJson(result.userId(), result.personalOrganizationId());
	}
}
