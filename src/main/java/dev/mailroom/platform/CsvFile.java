package dev.mailroom.platform;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an uploaded or pasted CSV the way people produce them: UTF-8 with or without a
 * byte-order mark, CRLF or LF, quoted fields, blank lines and stray spaces are fine; a header
 * line is recognised by the caller's test. Not UTF-8, too large, too many rows, a control
 * character or broken quotes are one problem for the whole file, naming the line where it can. Line numbers are those a spreadsheet shows.
 */
public final class CsvFile {

	/** A non-blank row and the line it ends on. */
	public record Row(int line, List<String> cells) {

		public String cell(int index) {
			return index < cells.size() ? cells.get(index) : "";
		}
	}

	/** The rows, or {@code problem} (then no rows) when the file as a whole cannot be read. */
	public record Result(List<Row> rows, String problem) {
	}

	private CsvFile() {
	}

	public static Result read(byte[] bytes, int maxBytes, int maxRows, Predicate<Row> isHeader) {
		if (bytes == null || bytes.length == 0) {
			return problem("The file is empty");
		}
		if (bytes.length > maxBytes) {
			return problem("The file is larger than " + (maxBytes / (1024 * 1024)) + " MB; split it into smaller files");
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
			return problem("The file is not UTF-8 text; in your spreadsheet choose \"CSV UTF-8\" when saving");
		}
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		int control = firstControl(text);
		if (control >= 0) {
			int line = 1 + (int) text.substring(0, control).chars().filter(c -> c == '\n').count();
			return problem("Line " + line + ": a control character (such as NUL) is not text; save the file again as "
					+ "\"CSV UTF-8\"");
		}
		List<Row> rows = new ArrayList<>();
		CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).build();
		int lastLine = 0;
		try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
			boolean first = true;
			for (CSVRecord record : parser) {
				Row row = new Row((int) parser.getCurrentLineNumber(), record.toList());
				lastLine = row.line();
				boolean header = first && isHeader.test(row);
				first = false;
				if (header || row.cells().stream().allMatch(String::isBlank)) {
					continue;
				}
				if (rows.size() >= maxRows) {
					return problem("The file has more than " + maxRows + " rows; split it into files of at most " + maxRows
							+ " rows");
				}
				rows.add(row);
			}
		}
		catch (IOException | UncheckedIOException | IllegalStateException e) {
			return problem(broken(e, lastLine + 1));
		}
		if (rows.isEmpty()) {
			return problem("The file has no rows");
		}
		return new Result(rows, null);
	}

	/** Where the first C0 control (tab, CR and LF excepted) or DEL is, or -1: no field may hold one. */
	private static int firstControl(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 || c == 0x7F) && c != '\t' && c != '\r' && c != '\n') {
				return i;
			}
		}
		return -1;
	}

	private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");
	private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+)");

	/**
	 * What a person can fix, from the parser's failure: the line (where the broken field starts,
	 * else {@code fallbackLine}) and what is wrong, never the parser's own words or class names.
	 */
	private static String broken(Exception e, int fallbackLine) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = e; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		String text = messages.toString();
		int line = fallbackLine;
		Matcher start = START_LINE.matcher(text);
		Matcher at = AT_LINE.matcher(text);
		if (start.find()) {
			line = Integer.parseInt(start.group(1));
		}
		else if (at.find()) {
			line = Integer.parseInt(at.group(1));
		}
		String what;
		if (text.contains("EOF reached before encapsulated token finished")) {
			what = "a quoted field is not closed (a closing \" is missing)";
		}
		else if (text.contains("Invalid character between encapsulated token and delimiter")) {
			what = "a quoted field has text after its closing quote (inside quotes, write a \" as \"\")";
		}
		else {
			what = "the quotes do not match (inside quotes, write a \" as \"\")";
		}
		return "Line " + line + ": " + what;
	}

	private static Result problem(String message) {
		return new Result(List.of(), message);
	}
}
