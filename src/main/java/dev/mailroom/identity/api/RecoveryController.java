package dev.mailroom.identity.api;

import dev.mailroom.identity.LoginService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mailboxes")
class RecoveryController {

	private final LoginService logins;

	RecoveryController(LoginService logins) {
		this.logins = logins;
	}

	/** No shape validation here: every failure must look the same (one generic 400). */
	record Reset(String address, String recoveryCode, String newPassword) {
	}

	record NewCode(String recoveryCode) {
	}

	@PostMapping("/api/v1/recovery/reset")
	@Operation(summary = "Reset a mailbox password with its recovery code (public, rate limited); "
			+ "returns a new code. Any failure is one generic 400 recovery_failed.")
	NewCode reset(@RequestBody Reset body, HttpServletRequest request) {
		return new NewCode(logins.resetWithRecoveryCode(body.address(), body.recoveryCode(), body.newPassword(),
				request.getRemoteAddr()));
	}
}
