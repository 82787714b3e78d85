package dev.mailroom.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Files that hold secrets (the server secret, tokens, database passwords): readable by the owner
 * only (0600) from the first byte. Each is written to a temporary file created 0600 in the same
 * directory and then moved or linked into place, so no reader ever sees a half-written file or a
 * moment of the process umask's 0644.
 */
public final class SecretFiles {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private SecretFiles() {
	}

	/**
	 * The content of {@code file} (stripped), or {@code generate}'s value written there if it does
	 * not exist yet. Two processes racing get the same value: the file is linked into place only if
	 * absent. An existing file readable by others is narrowed to 0600.
	 */
	public static String readOrCreate(Path file, Supplier<String> generate) {
		try {
			if (Files.exists(file)) {
				narrow(file);
				return Files.readString(file).strip();
			}
			Path dir = file.toAbsolutePath().getParent();
			Files.createDirectories(dir);
			String value = generate.get();
			Path temporary = temporaryWith(dir, file, value);
			try {
				Files.createLink(file, temporary);
			}
			catch (FileAlreadyExistsException e) {
				return Files.readString(file).strip();
			}
			catch (UnsupportedOperationException | IOException e) {
				// no hard links here: an atomic rename still never shows a partial or 0644 file
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
			}
			finally {
				Files.deleteIfExists(temporary);
			}
			return value;
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot read or create " + file, e);
		}
	}

	/** Replaces {@code file} atomically with {@code content}, mode 0600. */
	public static void write(Path file, String content) {
		try {
			Path dir = file.toAbsolutePath().getParent();
			Files.createDirectories(dir);
			Path temporary = temporaryWith(dir, file, content);
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				Files.deleteIfExists(temporary);
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot write " + file, e);
		}
	}

	private static Path temporaryWith(Path dir, Path file, String content) throws IOException {
		Path temporary = posix(dir) ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
				PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
						new FileAttribute<?>[0]);
		Files.writeString(temporary, content, StandardCharsets.UTF_8);
		return temporary;
	}

	private static void narrow(Path file) throws IOException {
		if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
		}
	}

	private static boolean posix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}
}
