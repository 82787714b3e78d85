package dev.mailroom.mailbox.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords of a bulk-create preview, sealed with AES-GCM under a key made for that one preview.
 * The sealed bytes wait in the session (so in the session table); the key goes only into the
 * page's Create form, so neither the database nor the page alone holds a password.
 */
final class PreviewSeal {

	/** What the session keeps ({@code box}) and what the form carries ({@code key}). */
	record Sealed(byte[] box, String key) {
	}

	private static final SecureRandom RANDOM = new SecureRandom();
	private static final int NONCE_BYTES = 12;

	private PreviewSeal() {
	}

	/** Seals the passwords in order; {@code null} entries (generate one) stay {@code null}. */
	static Sealed seal(List<String> passwords) {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		try {
			ByteArrayOutputStream plain = new ByteArrayOutputStream();
			DataOutputStream out = new DataOutputStream(plain);
			out.writeInt(passwords.size());
			for (String password : passwords) {
				out.writeBoolean(password != null);
				if (password != null) {
					byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
					out.writeInt(bytes.length);
					out.write(bytes);
				}
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
			byte[] sealed = cipher.doFinal(plain.toByteArray());
			return new Sealed(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array(),
					Base64.getUrlEncoder().withoutPadding().encodeToString(key));
		}
		catch (IOException | GeneralSecurityException e) {
			throw new IllegalStateException("Cannot seal the preview", e);
		}
	}

	/** The passwords again, or empty when the key is missing or not the one the box was sealed with. */
	static java.util.Optional<List<String>> open(byte[] box, String key) {
		if (box == null || box.length <= NONCE_BYTES || key == null) {
			return java.util.Optional.empty();
		}
		try {
			byte[] rawKey = Base64.getUrlDecoder().decode(key);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(rawKey, "AES"),
					new GCMParameterSpec(128, box, 0, NONCE_BYTES));
			byte[] plain = cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
			DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
			int count = in.readInt();
			List<String> passwords = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				passwords.add(in.readBoolean() ? new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8) : null);
			}
			return java.util.Optional.of(passwords);
		}
		catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
			return java.util.Optional.empty();
		}
	}
}
