/**
 * Import and export files of the panel (lib/transfer/): what a file holds, row by row, checked
 * before anything is sent to the background ('import.apply'), and the files 'export.rows' turns
 * into. A row names a contact by id, phone (normalised to E.164) or e-mail — at least one —
 * and says which status it should have, with an optional note. Every rejected row is reported
 * with its row number, the value at fault and a reason the panel shows in the user's language.
 */
import type { CountryCode } from 'libphonenumber-js/min';
import type { MessageKey } from '../i18n';
import { MAX_IMPORT_ROWS, TransferRow } from '../page-messaging';
import { toE164 } from '../phone';
import { SAFE_ID } from '../platforms/ids';
import type { ContactStatus } from '../platforms/types';
import { CsvError, guardFormula, parseCsv, unguardFormula, writeCsv } from './csv';

export { MAX_IMPORT_ROWS };
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_NOTE = 500;

export type Field = 'contactId' | 'name' | 'phone' | 'email' | 'status' | 'note';
export type Format = 'csv' | 'json';

/** A row that will not be applied: where it is in the file, what was wrong, and why. */
export interface Problem {
  /** CSV: the spreadsheet's row number (the header is row 1). JSON: the item's position, from 1. */
  row: number;
  field?: Field;
  value: string;
  reason: MessageKey;
  /** For a duplicate: the row that already named this contact. */
  firstRow?: number;
}

export interface ValidRow {
  row: number;
  data: TransferRow;
}

export type ImportResult =
  | { ok: true; format: Format; total: number; valid: ValidRow[]; problems: Problem[] }
  | { ok: false; error: MessageKey; detail?: string };

/** How people name the columns, in English, Portuguese and French (compared without accents or case). */
const SYNONYMS: Record<Field, string[]> = {
  contactId: ['contact_id', 'contactid', 'id', 'contact', 'id_contato', 'contato_id', 'id_contact', 'identifiant', 'identificador'],
  name: ['name', 'contact_name', 'nome', 'nom', 'full_name', 'nome_completo', 'nom_complet'],
  phone: ['phone', 'phone_number', 'telephone', 'tel', 'mobile', 'cell', 'whatsapp', 'telefone', 'celular', 'numero', 'portable', 'numero_de_telephone'],
  email: ['email', 'e_mail', 'mail', 'email_address', 'courriel', 'adresse_email', 'adresse_e_mail'],
  status: ['status', 'state', 'situacao', 'estado', 'statut', 'etat'],
  note: ['note', 'notes', 'comment', 'nota', 'observacao', 'observacoes', 'obs', 'comentario', 'remarque', 'commentaire'],
};

/** Status words in the three languages of the UI, compared without accents or case. */
const STATUS_WORDS: Record<string, ContactStatus> = {
  blocked: 'blocked', block: 'blocked', bloqueado: 'blocked', bloqueada: 'blocked', bloque: 'blocked', bloquee: 'blocked',
  archived: 'archived', archive: 'archived', arquivado: 'archived', arquivada: 'archived', archivee: 'archived', archivado: 'archived',
  active: 'active', ativo: 'active', ativa: 'active', actif: 'active', activo: 'active',
};

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[\s\-.]+/g, '_');
}

const FIELD_OF = new Map<string, Field>(
  (Object.entries(SYNONYMS) as [Field, string[]][]).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

export function statusOf(word: string): ContactStatus | null {
  return STATUS_WORDS[fold(word)] ?? null;
}

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/;

/** A raw row, keyed by field, as the file had it (strings; absent when the column is missing). */
type RawRow = Partial<Record<Field, string>>;

/** Checks one row; returns the row to apply, or the first thing wrong with it. */
function check(raw: RawRow, row: number, defaultCountry?: CountryCode): ValidRow | Problem {
  const contactId = raw.contactId?.trim() || undefined;
  const phoneText = raw.phone?.trim() || undefined;
  const email = raw.email?.trim() || undefined;
  const statusText = raw.status?.trim() ?? '';
  const note = raw.note || undefined;
  const name = raw.name || undefined;
  if (!contactId && !phoneText && !email) return { row, value: '', reason: 'import_reason_no_key' };
  if (contactId && !SAFE_ID.test(contactId)) return { row, field: 'contactId', value: contactId.slice(0, 60), reason: 'import_reason_id' };
  let phone: string | undefined;
  if (phoneText) {
    phone = toE164(phoneText, defaultCountry) ?? undefined;
    if (!phone) return { row, field: 'phone', value: phoneText, reason: 'import_reason_phone' };
  }
  if (email && (email.length > 320 || !EMAIL.test(email))) return { row, field: 'email', value: email, reason: 'import_reason_email' };
  const status = statusOf(statusText);
  if (!status) return { row, field: 'status', value: statusText, reason: statusText ? 'import_reason_status' : 'import_reason_status_missing' };
  if (note && note.length > MAX_NOTE) return { row, field: 'note', value: `${note.slice(0, 40)}…`, reason: 'import_reason_note' };
  const data: TransferRow = { status };
  if (contactId) data.contactId = contactId;
  if (name) data.name = name;
  if (phone) data.phone = phone;
  if (email) data.email = email;
  if (note) data.note = note;
  const parsed = TransferRow.safeParse(data);
  if (!parsed.success) return { row, value: contactId ?? phone ?? email ?? '', reason: 'import_reason_invalid' };
  return { row, data: parsed.data };
}

/** The keys a row names its contact by; two rows sharing one name the same contact. */
function keysOf(data: TransferRow): string[] {
  const keys: string[] = [];
  if (data.contactId) keys.push(`id:${data.contactId}`);
  if (data.phone) keys.push(`phone:${data.phone}`);
  if (data.email) keys.push(`email:${data.email.toLowerCase()}`);
  return keys;
}

/** Checks every row; the later of two rows naming the same contact is reported, not applied. */
export function validateRows(rows: { row: number; raw: RawRow | null; value?: string }[], format: Format, defaultCountry?: CountryCode): ImportResult {
  if (rows.length === 0) return { ok: false, error: 'import_error_empty' };
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, error: 'import_error_too_many', detail: String(MAX_IMPORT_ROWS) };
  const valid: ValidRow[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const { row, raw, value } of rows) {
    if (!raw) {
      problems.push({ row, value: value ?? '', reason: 'import_reason_not_object' });
      continue;
    }
    const result = check(raw, row, defaultCountry);
    if (!('data' in result)) {
      problems.push(result);
      continue;
    }
    const keys = keysOf(result.data);
    const earlier = keys.map((key) => seen.get(key)).find((at) => at !== undefined);
    if (earlier !== undefined) {
      const { contactId, phone, email } = result.data;
      problems.push({ row, value: contactId ?? phone ?? email ?? '', reason: 'import_reason_duplicate', firstRow: earlier });
      continue;
    }
    for (const key of keys) seen.set(key, row);
    valid.push(result);
  }
  return { ok: true, format, total: rows.length, valid, problems };
}

/**
 * A CSV file's rows, by its header row (columns matched by name, in any order and case). A
 * cell whose formula guard our export added (`'=…`, `'+5511…`) reads without it: an exported
 * file imports back as the same rows, and a spreadsheet's own text mark means the same.
 */
export function parseCsvImport(text: string, defaultCountry?: CountryCode): ImportResult {
  let records: string[][];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, error: 'import_error_csv', detail: String(error instanceof CsvError ? error.record : '') };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, error: 'import_error_empty' };
  const columns = header.map((name) => FIELD_OF.get(fold(name)));
  if (!columns.some((field) => field === 'contactId' || field === 'phone' || field === 'email')) {
    return { ok: false, error: 'import_error_columns' };
  }
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, error: 'import_error_too_many', detail: String(MAX_IMPORT_ROWS) };
  return validateRows(
    body.map((record, index) => {
      const raw: RawRow = {};
      columns.forEach((field, column) => {
        if (field && raw[field] === undefined) raw[field] = unguardFormula(record[column] ?? '');
      });
      return { row: index + 2, raw };
    }),
    'csv',
    defaultCountry,
  );
}

/** A JSON file's rows: an array of objects, or `{ "contacts": [...] }`. */
export function parseJsonImport(text: string, defaultCountry?: CountryCode): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: 'import_error_json', detail: error instanceof Error ? error.message : '' };
  }
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { contacts?: unknown }).contacts)
      ? (value as { contacts: unknown[] }).contacts
      : null;
  if (!items) return { ok: false, error: 'import_error_json_shape' };
  if (items.length > MAX_IMPORT_ROWS) return { ok: false, error: 'import_error_too_many', detail: String(MAX_IMPORT_ROWS) };
  return validateRows(
    items.map((item, index) => {
      const row = index + 1;
      if (!item || typeof item !== 'object' || Array.isArray(item)) return { row, raw: null, value: JSON.stringify(item)?.slice(0, 60) ?? '' };
      const raw: RawRow = {};
      for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
        const name = FIELD_OF.get(fold(key));
        if (!name || raw[name] !== undefined) continue;
        if (typeof field === 'string') raw[name] = field;
        else if (typeof field === 'number' && Number.isFinite(field)) raw[name] = String(field);
      }
      return { row, raw };
    }),
    'json',
    defaultCountry,
  );
}

/** What the panel needs of a picked or dropped file (a File, in the page). */
export interface ImportFile {
  name: string;
  size: number;
  type?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The format of a file, by its name (then its type), or null when it is neither CSV nor JSON.
 * Tab-separated text counts as CSV (the separator is read from the header): Excel's "Unicode
 * text" saves a `.txt`, others a `.tsv`.
 */
export function formatOf(file: Pick<ImportFile, 'name' | 'type'>): Format | null {
  const name = file.name.toLowerCase();
  if (/\.(csv|tsv|txt)$/.test(name)) return 'csv';
  if (name.endsWith('.json')) return 'json';
  // A file named .xlsx is not CSV whatever type the system gives it; a name without one may be.
  if (/\.[a-z0-9]{1,8}$/.test(name)) return null;
  if (file.type === 'text/csv' || file.type === 'text/tab-separated-values') return 'csv';
  if (file.type === 'application/json') return 'json';
  return null;
}

/**
 * The text of a file, by its byte-order mark: UTF-8, UTF-16 LE (what Excel's "Unicode text"
 * writes) or UTF-16 BE. Without one, UTF-8, else Windows-1252 as older Excel saves it. A file
 * with NUL bytes and no mark (UTF-16 that lost its mark, or not text at all) is refused as such:
 * read as 1252 it would only give a header no column of which is recognised.
 */
function decode(buffer: ArrayBuffer): { text: string } | { error: 'import_error_encoding' } {
  const bytes = new Uint8Array(buffer);
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  try {
    if (utf16) return { text: new TextDecoder(utf16, { fatal: true }).decode(bytes) };
    if (bytes.includes(0)) return { error: 'import_error_encoding' };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { text: new TextDecoder('windows-1252').decode(bytes) };
    }
  } catch {
    // An odd number of bytes, or a lone surrogate, after a UTF-16 mark.
    return { error: 'import_error_encoding' };
  }
}

/** Reads, parses and checks a file; never throws. */
export async function readImportFile(file: ImportFile, defaultCountry?: CountryCode): Promise<ImportResult> {
  const format = formatOf(file);
  if (!format) return { ok: false, error: 'import_error_type', detail: file.name };
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, error: 'import_error_too_big', detail: '20' };
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(await file.arrayBuffer());
  } catch (error) {
    return { ok: false, error: 'import_error_read', detail: error instanceof Error ? error.message : '' };
  }
  if ('error' in decoded) return { ok: false, error: decoded.error, detail: file.name };
  // TextDecoder drops a UTF-8 or UTF-16 mark; a second one (a file saved twice) goes here.
  const text = decoded.text.replace(/^\uFEFF/, '');
  return format === 'csv' ? parseCsvImport(text, defaultCountry) : parseJsonImport(text, defaultCountry);
}

const CSV_COLUMNS: [Field, string][] = [
  ['contactId', 'contact_id'],
  ['name', 'name'],
  ['phone', 'phone'],
  ['email', 'email'],
  ['status', 'status'],
  ['note', 'note'],
];

/**
 * The CSV separator spreadsheet programs expect in a language: ";" where the decimal mark is a
 * comma (Portuguese, French…), so the file opens in columns there; "," elsewhere.
 */
export function csvSeparatorFor(language: string): ',' | ';' {
  return /^(pt|fr|de|es|it|nl)\b/i.test(language) ? ';' : ',';
}

/**
 * The text of an export file; importing it gives back the same rows, whatever the separator.
 *
 * CSV: every cell a spreadsheet would run as a formula (a contact named `=HYPERLINK(…)` or
 * `+cmd|' /C calc'!A0`, a note `-- spam`) is written with a single quote in front
 * (`guardFormula`), and the import takes it off. Phones included: an E.164 phone begins with
 * "+", and unguarded a spreadsheet reads it as a formula whose value is a number
 * (5.51199E+12); guarded it stays the text +5511987654321. JSON files open in no spreadsheet
 * and are written as they are.
 */
export function writeExport(rows: readonly TransferRow[], format: Format, separator: ',' | ';' = ','): string {
  if (format === 'json') return JSON.stringify({ contacts: rows }, null, 2) + '\n';
  // A byte-order mark, so that spreadsheet programs read the accents as UTF-8.
  const records = [
    CSV_COLUMNS.map(([, header]) => header),
    ...rows.map((row) => CSV_COLUMNS.map(([field]) => guardFormula(row[field] ?? ''))),
  ];
  return '\uFEFF' + writeCsv(records, separator);
}

export const MIME: Record<Format, string> = { csv: 'text/csv;charset=utf-8', json: 'application/json' };

/** The country whose national numbers a file may hold without "+", from the UI language (pt-BR → BR). */
export function countryOfLanguage(language: string): CountryCode | undefined {
  const region = /^[a-z]{2,3}[-_]([A-Za-z]{2})\b/.exec(language)?.[1]?.toUpperCase();
  if (region) return region as CountryCode;
  const fallback: Record<string, CountryCode> = { pt: 'BR', fr: 'FR' };
  return fallback[language.slice(0, 2).toLowerCase()];
}
