package dev.mailroom.invitation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.mailroom.platform.CsvFile;

/**
 * Reads the recipients of a bulk invite: a pasted list (one email per line) or a CSV
 * ({@code email[,storage_mb]}, header optional; see {@link CsvFile} for what is tolerated).
 * Emails are not judged here — the preview does that per row — only the shape of each line.
 */
public final class InviteList {

	public static final int MAX_BYTES = 1024 * 1024;

	/** A recipient line: the email as typed and its storage ({@code null}: the pool). */
	public record Row(int line, String email, Integer storageMb) {

		public BulkInvite.Item toItem() {
			return new BulkInvite.Item(email, null, storageMb);
		}
	}

	public record Problem(int line, String message) {
	}

	public record Result(List<Row> rows, List<Problem> problems) {

		public boolean ok() {
			return problems.isEmpty() && !rows.isEmpty();
		}
	}

	private static final Set<String> HEADERS = Set.of("email", "e-mail", "email_address", "recipient", "recipient_email");

	private InviteList() {
	}

	/** A pasted list: the same rules as a file. */
	public static Result parse(String pasted, int maxRows) {
		return parse(pasted == null ? new byte[0] : pasted.getBytes(StandardCharsets.UTF_8), maxRows);
	}

	public static Result parse(byte[] bytes, int maxRows) {
		CsvFile.Result file = CsvFile.read(bytes, MAX_BYTES, maxRows, InviteList::isHeader);
		if (file.problem() != null) {
			String message = file.problem().equals("The file has no rows")
					? "No recipients found: one email per line, optionally followed by ,storage_mb" : file.problem();
			return new Result(List.of(), List.of(new Problem(0, message)));
		}
		List<Row> rows = new ArrayList<>();
		List<Problem> problems = new ArrayList<>();
		for (CsvFile.Row row : file.rows()) {
			if (row.cells().size() > 2 && row.cells().subList(2, row.cells().size()).stream().anyMatch(c -> !c.isBlank())) {
				problems.add(new Problem(row.line(), "Too many columns: use email and, optionally, storage_mb"));
				continue;
			}
			String email = row.cell(0).strip();
			if (email.isEmpty()) {
				problems.add(new Problem(row.line(), "The email (first column) is empty"));
				continue;
			}
			Integer storage = null;
			if (!row.cell(1).isBlank()) {
				try {
					storage = Integer.valueOf(row.cell(1).strip());
				}
				catch (NumberFormatException e) {
					problems.add(new Problem(row.line(), "storage_mb must be a whole number of MB"));
					continue;
				}
			}
			rows.add(new Row(row.line(), email, storage));
		}
		return new Result(rows, problems);
	}

	private static boolean isHeader(CsvFile.Row row) {
		return HEADERS.contains(row.cell(0).strip().toLowerCase(Locale.ROOT).replace(' ', '_'));
	}
}
