package dev.mailroom.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.mailroom.platform.CsvFile;

/**
 * Reads the bulk-create CSV: {@code local_part[,password][,storage_mb]}, one mailbox a line,
 * header optional (see {@link CsvFile} for what is tolerated). Problems are reported per row
 * with their line number, so nothing is created until the file is right.
 */
public final class MailboxCsv {

	public static final int MAX_BYTES = 1024 * 1024;
	public static final int MAX_ROWS = MailboxService.MAX_BULK_ITEMS;

	/** A data row; {@code password} {@code null} means generate one. */
	public record Row(int line, String localPart, String password, Integer storageMb) {

		public NewMailbox toNewMailbox(UUID domainId) {
			return new NewMailbox(domainId, localPart, password, storageMb, null);
		}
	}

	/** A problem with the file ({@code line} 0) or one of its lines. */
	public record Problem(int line, String message) {
	}

	public record Result(List<Row> rows, List<Problem> problems) {

		public boolean ok() {
			return problems.isEmpty() && !rows.isEmpty();
		}
	}

	private MailboxCsv() {
	}

	public static Result parse(byte[] bytes) {
		CsvFile.Result file = CsvFile.read(bytes, MAX_BYTES, MAX_ROWS, MailboxCsv::isHeader);
		if (file.problem() != null) {
			String message = file.problem().equals("The file has no rows")
					? "The file has no mailboxes: one local part per line, e.g. alice,,500" : file.problem();
			return new Result(List.of(), List.of(new Problem(0, message)));
		}
		List<Row> rows = new ArrayList<>();
		List<Problem> problems = new ArrayList<>();
		for (CsvFile.Row row : file.rows()) {
			read(row, rows, problems);
		}
		return new Result(rows, problems);
	}

	private static void read(CsvFile.Row row, List<Row> rows, List<Problem> problems) {
		if (row.cells().size() > 3) {
			problems.add(new Problem(row.line(), "Too many columns (" + row.cells().size()
					+ "): use local_part, password (optional), storage_mb (optional)"));
			return;
		}
		String localPart = row.cell(0).strip();
		if (localPart.isEmpty()) {
			problems.add(new Problem(row.line(), "The local part (first column) is empty"));
			return;
		}
		String password = row.cell(1).isEmpty() ? null : row.cell(1);
		Integer storage = null;
		if (!row.cell(2).isBlank()) {
			try {
				storage = Integer.valueOf(row.cell(2).strip());
			}
			catch (NumberFormatException e) {
				problems.add(new Problem(row.line(), "storage_mb must be a whole number of MB, not \"" + abbreviate(row.cell(2)) + "\""));
				return;
			}
		}
		rows.add(new Row(row.line(), localPart, password, storage));
	}

	private static boolean isHeader(CsvFile.Row row) {
		String first = row.cell(0).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
		return first.equals("local_part") || first.equals("localpart") || first.equals("username");
	}

	private static String abbreviate(String value) {
		return value.length() > 20 ? value.substring(0, 20) + "…" : value;
	}
}
