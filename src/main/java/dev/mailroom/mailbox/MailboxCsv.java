package dev.mailroom.mailbox;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the bulk-create CSV: {@code local_part[,password][,storage_mb]}, one mailbox a line.
 * A header line is optional; a UTF-8 byte-order mark, CRLF line ends, quoted fields, blank
 * lines and surrounding white space are fine. Everything else — not UTF-8, too large, too many
 * rows, too many columns, a storage that is not a whole number — is reported per row (line
 * numbers as a spreadsheet shows them), so nothing is created until the file is right.
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
		if (bytes == null || bytes.length == 0) {
			return fileProblem("The file is empty");
		}
		if (bytes.length > MAX_BYTES) {
			return fileProblem("The file is larger than 1 MB; split it into smaller files");
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException e) {
			return fileProblem("The file is not UTF-8 text; in your spreadsheet choose \"CSV UTF-8\" when saving");
		}
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		List<Row> rows = new ArrayList<>();
		List<Problem> problems = new ArrayList<>();
		CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).build();
		try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
			boolean first = true;
			for (CSVRecord record : parser) {
				int line = (int) parser.getCurrentLineNumber();
				if (first && isHeader(record)) {
					first = false;
					continue;
				}
				first = false;
				if (record.size() == 1 && record.get(0).isBlank()) {
					continue;
				}
				if (rows.size() + problems.size() >= MAX_ROWS) {
					return fileProblem("The file has more than " + MAX_ROWS + " mailboxes; split it into files of at most "
							+ MAX_ROWS + " rows");
				}
				read(record, line, rows, problems);
			}
		}
		catch (IOException | UncheckedIOException | IllegalStateException e) {
			return fileProblem("The file is not valid CSV (check the quotes): " + e.getMessage().lines().findFirst().orElse(""));
		}
		if (rows.isEmpty() && problems.isEmpty()) {
			return fileProblem("The file has no mailboxes: one local part per line, e.g. alice,,500");
		}
		return new Result(rows, problems);
	}

	private static void read(CSVRecord record, int line, List<Row> rows, List<Problem> problems) {
		if (record.size() > 3) {
			problems.add(new Problem(line, "Too many columns (" + record.size()
					+ "): use local_part, password (optional), storage_mb (optional)"));
			return;
		}
		String localPart = record.get(0).strip();
		if (localPart.isEmpty()) {
			problems.add(new Problem(line, "The local part (first column) is empty"));
			return;
		}
		String password = record.size() > 1 && !record.get(1).isEmpty() ? record.get(1) : null;
		Integer storage = null;
		if (record.size() > 2 && !record.get(2).isBlank()) {
			try {
				storage = Integer.valueOf(record.get(2).strip());
			}
			catch (NumberFormatException e) {
				problems.add(new Problem(line, "storage_mb must be a whole number of MB, not \"" + abbreviate(record.get(2)) + "\""));
				return;
			}
		}
		rows.add(new Row(line, localPart, password, storage));
	}

	private static boolean isHeader(CSVRecord record) {
		String first = record.get(0).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
		return first.equals("local_part") || first.equals("localpart") || first.equals("username");
	}

	private static String abbreviate(String value) {
		return value.length() > 20 ? value.substring(0, 20) + "…" : value;
	}

	private static Result fileProblem(String message) {
		return new Result(List.of(), List.of(new Problem(0, message)));
	}
}
