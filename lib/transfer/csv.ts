/**
 * CSV as RFC 4180 writes it (quoted fields may hold the separator, quotes doubled, CR, LF),
 * read with the separator spreadsheets in Brazil and France save by default (";") as well as
 * ",": the header line decides. Written back with "," and CRLF, quoting only what needs it.
 *
 * The formula guard (OWASP "CSV Injection") is separate from the writer: `writeCsv` and
 * `parseCsv` stay exact inverses, and the export and import of lib/transfer/rows.ts put the
 * guard on and take it off.
 */

export class CsvError extends Error {
  /** The 1-based record where an opened quote never closes. */
  readonly record: number;
  constructor(record: number) {
    super(`unterminated quoted field in record ${record}`);
    this.record = record;
  }
}

/** The separator of a file: whichever of "," ";" "\t" appears most in its first line outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [separator, count] of counts) if (count > (counts.get(best) ?? 0)) best = separator;
  return best;
}

/**
 * The records of `text`, each a list of fields. Blank lines are dropped (spreadsheets leave
 * them at the end); a quote inside an unquoted field is kept as a character, as Excel does.
 */
export function parseCsv(text: string, separator = detectSeparator(text)): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '' && !fieldStarted)) records.push(record);
    record = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += char;
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (char === separator) {
      record.push(field);
      field = '';
      fieldStarted = true;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
    } else field += char;
  }
  if (quoted) throw new CsvError(records.length + 1);
  if (field !== '' || record.length > 0 || fieldStarted) endRecord();
  return records;
}

function quote(field: string): string {
  return /[",;\r\n\t]|^\s|\s$/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** RFC 4180 text: "," (or `separator`) between fields, CRLF after each record (the last one too). */
export function writeCsv(records: readonly (readonly string[])[], separator = ','): string {
  return records.map((record) => record.map(quote).join(separator) + '\r\n').join('');
}

/**
 * What a spreadsheet (Excel, LibreOffice, Google Sheets) takes for the start of a formula when
 * it opens a CSV file: = + - @, a tab or a carriage return (OWASP "CSV Injection"). With any
 * number of guard quotes in front, so that the guard is reversible (see `guardFormula`).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * A cell a spreadsheet would run as a formula, made text: a single quote in front of it (the
 * spreadsheets' own "this is text" mark). A cell that already begins with quotes before such a
 * character gets one more, so `unguardFormula` gives every cell back exactly, whatever it held.
 */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `guardFormula`: one guard quote off a cell that has one before a formula start. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
