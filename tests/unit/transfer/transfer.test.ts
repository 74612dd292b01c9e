import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TransferRow } from '@/lib/page-messaging';
import {
  countryOfLanguage,
  parseCsv,
  parseCsvImport,
  parseJsonImport,
  readImportFile,
  guardFormula,
  unguardFormula,
  writeCsv,
  writeExport,
  csvSeparatorFor,
  type ImportResult,
} from '@/lib/transfer';

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(`expected a parsed file, got ${result.error}`);
  return result;
}

function file(name: string, content: string | Uint8Array, size?: number) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: size ?? bytes.byteLength, arrayBuffer: async () => bytes.slice().buffer };
}

describe('CSV as spreadsheets save it (RFC 4180)', () => {
  test('quoted fields keep commas, semicolons, doubled quotes and line breaks; CRLF ends records', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n"semi;colon",,last\r\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['semi;colon', '', 'last'],
    ]);
  });

  test('a semicolon header (Excel in Brazil and France) splits on semicolons, not on commas', () => {
    expect(parseCsv('telefone;status;nota\n+5511987654321;bloqueado;"spam, muito"\n')).toEqual([
      ['telefone', 'status', 'nota'],
      ['+5511987654321', 'bloqueado', 'spam, muito'],
    ]);
  });

  test('blank lines are dropped, a last line without a newline is kept', () => {
    expect(parseCsv('a\n\n1\n\n2')).toEqual([['a'], ['1'], ['2']]);
  });

  test('an unterminated quote is an error naming the record', () => {
    const result = parseCsvImport('phone,status\n"+5511987654321,blocked\n');
    expect(result).toMatchObject({ ok: false, error: 'import_error_csv', detail: '2' });
  });

  test('writeCsv ∘ parseCsv is the identity on any table of strings', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '\r', '\n', '\t', 'Z', '1'), maxLength: 8 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.constant(0), { minLength: 1, maxLength: 5 }), (width, lines) => {
        return fc.assert(
          fc.property(fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: lines.length, maxLength: lines.length }), (table) => {
            // A record of one empty field is a blank line: spreadsheets have none worth keeping.
            fc.pre(table.every((record) => record.some((field) => field !== '') || record.length > 1));
            expect(parseCsv(writeCsv(table), ',')).toEqual(table);
          }),
          { numRuns: 20 },
        ) ?? true;
      }),
      { numRuns: 20 },
    );
  });
});

describe('import rows are checked, and every rejected row says why', () => {
  test('headers in any case and in Portuguese or French, phones normalised to E.164, status words in three languages', () => {
    const result = ok(
      parseCsvImport(
        'Telefone;E-mail;Situação;Observação\n' +
          '+55 (11) 98765-4321;;bloqueado;spam\n' +
          ';Renata@Correio.example;Arquivado;\n' +
          '0033 6 12 34 56 78;;bloqué;\n' +
          '+5521998765432;;ativo;\n' +
          '+5521900000002;;actif;\n',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.valid.map((row) => row.data)).toEqual([
      { phone: '+5511987654321', status: 'blocked', note: 'spam' },
      { email: 'Renata@Correio.example', status: 'archived' },
      { phone: '+33612345678', status: 'blocked' },
      { phone: '+5521998765432', status: 'active' },
      { phone: '+5521900000002', status: 'active' },
    ]);
    expect(result.valid.map((row) => row.row)).toEqual([2, 3, 4, 5, 6]);
  });

  test('each bad row is reported with its row number, the value and the reason; the good rows stay', () => {
    const note = 'x'.repeat(501);
    const result = ok(
      parseCsvImport(
        [
          'contact_id,phone,email,status,note',
          '101,,,blocked,',
          ',,,blocked,no key',
          ',12,,blocked,',
          ',,not-an-email,archived,',
          '102,,,deleted,',
          '103,,,,',
          `104,,,blocked,${note}`,
          '101,,,archived,again',
          ',+55 11 98765-4321,,blocked,',
          ',+5511987654321,,archived,same phone',
          ',,a@b.example,blocked,',
          ',,A@B.example,blocked,same e-mail',
        ].join('\r\n'),
      ),
    );
    expect(result.total).toBe(12);
    expect(result.valid.map((row) => row.row)).toEqual([2, 10, 12]);
    expect(result.problems).toEqual([
      { row: 3, value: '', reason: 'import_reason_no_key' },
      { row: 4, field: 'phone', value: '12', reason: 'import_reason_phone' },
      { row: 5, field: 'email', value: 'not-an-email', reason: 'import_reason_email' },
      { row: 6, field: 'status', value: 'deleted', reason: 'import_reason_status' },
      { row: 7, field: 'status', value: '', reason: 'import_reason_status_missing' },
      { row: 8, field: 'note', value: `${'x'.repeat(40)}…`, reason: 'import_reason_note' },
      { row: 9, value: '101', reason: 'import_reason_duplicate', firstRow: 2 },
      { row: 11, value: '+5511987654321', reason: 'import_reason_duplicate', firstRow: 10 },
      { row: 13, value: 'A@B.example', reason: 'import_reason_duplicate', firstRow: 12 },
    ]);
  });

  test('national numbers use the country of the UI language', () => {
    expect(countryOfLanguage('pt-BR')).toBe('BR');
    expect(countryOfLanguage('fr')).toBe('FR');
    expect(countryOfLanguage('en')).toBeUndefined();
    const result = ok(parseCsvImport('phone,status\n(11) 98765-4321,blocked\n', 'BR'));
    expect(result.valid[0]?.data.phone).toBe('+5511987654321');
    expect(ok(parseCsvImport('phone,status\n(11) 98765-4321,blocked\n')).problems[0]?.reason).toBe('import_reason_phone');
  });

  test('a header with no contact column, or an empty file, is refused as a whole', () => {
    expect(parseCsvImport('name,status\nAna,blocked\n')).toMatchObject({ ok: false, error: 'import_error_columns' });
    expect(parseCsvImport('')).toMatchObject({ ok: false, error: 'import_error_empty' });
    expect(parseCsvImport('phone,status\n')).toMatchObject({ ok: false, error: 'import_error_empty' });
  });

  test('JSON: an array or {contacts: [...]}; numbers as ids; anything else in the list is a reported row', () => {
    const result = ok(parseJsonImport(JSON.stringify({ contacts: [{ contact_id: 7, status: 'blocked' }, 'oops', { Telefone: '+33612345678', statut: 'archivé' }] })));
    expect(result.valid.map((row) => row.data)).toEqual([
      { contactId: '7', status: 'blocked' },
      { phone: '+33612345678', status: 'archived' },
    ]);
    expect(result.problems).toEqual([{ row: 2, value: '"oops"', reason: 'import_reason_not_object' }]);
    expect(parseJsonImport('{"contacts": 3}')).toMatchObject({ ok: false, error: 'import_error_json_shape' });
    expect(parseJsonImport('[{')).toMatchObject({ ok: false, error: 'import_error_json' });
  });
});

describe('files', () => {
  test('not CSV or JSON, too big, or too many rows: a clear error before any parsing', async () => {
    expect(await readImportFile(file('list.xlsx', 'x'))).toEqual({ ok: false, error: 'import_error_type', detail: 'list.xlsx' });
    expect(await readImportFile(file('list.csv', 'phone,status\n', 20 * 1024 * 1024 + 1))).toMatchObject({ ok: false, error: 'import_error_too_big' });
    const many = 'contact_id,status\n' + Array.from({ length: 100_001 }, (_, i) => `${i},blocked`).join('\n');
    expect(await readImportFile(file('many.csv', many))).toMatchObject({ ok: false, error: 'import_error_too_many', detail: '100000' });
  });

  test('a UTF-8 BOM is ignored; a Windows-1252 file (old Excel) keeps its accents', async () => {
    const bom = await readImportFile(file('a.csv', '\uFEFFphone,status,note\n+5511987654321,bloqueado,é\n'));
    expect(ok(bom).valid[0]?.data).toEqual({ phone: '+5511987654321', status: 'blocked', note: 'é' });
    const latin1 = new Uint8Array([...new TextEncoder().encode('phone;status;note\n+33612345678;bloqu'), 0xe9, ...new TextEncoder().encode(';r'), 0xe9, 0x0a]);
    expect(ok(await readImportFile(file('b.csv', latin1))).valid[0]?.data).toEqual({ phone: '+33612345678', status: 'blocked', note: 'ré' });
  });

  /** Text as UTF-16 bytes, with its byte-order mark unless told. */
  function utf16(text: string, order: 'le' | 'be', mark = true): Uint8Array {
    const units = (mark ? '\uFEFF' : '') + text;
    const bytes = new Uint8Array(units.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < units.length; i += 1) view.setUint16(i * 2, units.charCodeAt(i), order === 'le');
    return bytes;
  }

  // What Excel's "Unicode text" saves: UTF-16 LE with a mark, tab-separated, CRLF, a .txt name.
  const UNICODE_TEXT = 'Telefone\tSituação\tObservação\r\n+55 11 98765-4321\tbloqueado\tspam é ç\r\n+33 6 12 34 56 78\tarchivé\t\r\n';
  const expected = [
    { phone: '+5511987654321', status: 'blocked', note: 'spam é ç' },
    { phone: '+33612345678', status: 'archived' },
  ];

  test.each(['unicode.txt', 'unicode.csv', 'unicode.tsv'])('UTF-16 LE with its mark (Excel\'s "Unicode text") is decoded: %s', async (name) => {
    const result = ok(await readImportFile(file(name, utf16(UNICODE_TEXT, 'le'))));
    expect(result.problems).toEqual([]);
    expect(result.valid.map((row) => row.data)).toEqual(expected);
  });

  test('UTF-16 BE with its mark, and UTF-8 with its mark, are decoded too; so is a UTF-16 JSON file', async () => {
    expect(ok(await readImportFile(file('be.csv', utf16(UNICODE_TEXT, 'be')))).valid.map((row) => row.data)).toEqual(expected);
    expect(ok(await readImportFile(file('u8.txt', '\uFEFF' + UNICODE_TEXT))).valid.map((row) => row.data)).toEqual(expected);
    const json = utf16(JSON.stringify([{ phone: '+5511987654321', status: 'bloqueado' }]), 'le');
    expect(ok(await readImportFile(file('a.json', json))).valid[0]?.data).toEqual({ phone: '+5511987654321', status: 'blocked' });
  });

  test('UTF-16 without its mark, or a truncated one, is refused for its encoding, not for its columns', async () => {
    for (const bytes of [utf16(UNICODE_TEXT, 'le', false), utf16(UNICODE_TEXT, 'be', false), utf16(UNICODE_TEXT, 'le').slice(0, -1)]) {
      expect(await readImportFile(file('lost.csv', bytes))).toEqual({ ok: false, error: 'import_error_encoding', detail: 'lost.csv' });
    }
  });

  test('a 100,000-row file is read whole, every row checked', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `+55119${String(i).padStart(8, '0')},blocked`);
    const result = ok(await readImportFile(file('big.csv', `phone,status\n${rows.join('\n')}`)));
    expect(result.valid.length + result.problems.length).toBe(100_000);
  }, 60_000);
});

describe('export', () => {
  const rows: TransferRow[] = [
    { contactId: '1', name: 'Promo, "Relâmpago"', phone: '+5511900000001', status: 'blocked', note: 'spam;\r\nagain' },
    { contactId: '2', name: 'Renata Campos', email: 'renata.campos@correio.example', status: 'archived' },
  ];

  test('the CSV has a header row and quotes what needs it', () => {
    const text = writeExport(rows, 'csv');
    expect(text.split('\r\n')[0]).toBe('\uFEFFcontact_id,name,phone,email,status,note');
    expect(text).toContain('"Promo, ""Relâmpago"""');
  });

  // Text that often begins like a formula, or with the guard's own quote.
  const hostile = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', ';', 'a', 'é', ' ', '1', '('), minLength: 1, maxLength: 12 });
  const text = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), hostile);
  const row = fc.record(
    {
      contactId: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
      name: text,
      phone: fc.constantFrom('+5511987654321', '+33612345678', '+447700900123', '+5521998765432'),
      email: fc.constantFrom('a@b.example', 'camille.dubois@courriel.example', 'X.Y@Z.example'),
      status: fc.constantFrom('blocked', 'archived', 'active'),
      note: fc.oneof(fc.string({ minLength: 1, maxLength: 500 }), hostile),
    },
    { requiredKeys: ['contactId', 'status'] },
  );

  test('in Portuguese and French the CSV uses ";" (spreadsheets there open it in columns), and imports back', () => {
    expect(csvSeparatorFor('pt-BR')).toBe(';');
    expect(csvSeparatorFor('fr')).toBe(';');
    expect(csvSeparatorFor('en-US')).toBe(',');
    const semicolons = writeExport(rows, 'csv', ';');
    expect(semicolons.split('\r\n')[0]).toBe('\uFEFFcontact_id;name;phone;email;status;note');
    expect(ok(parseCsvImport(semicolons)).valid.map((r) => r.data)).toEqual(rows);
  });

  test.each(['csv', 'csv;', 'json'] as const)('an exported %s file imports back unchanged', (format) => {
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.contactId, minLength: 1, maxLength: 20 }), (exported) => {
        // Two contacts can share neither a phone nor an e-mail on a platform.
        const seen = new Set<string>();
        const unique = exported.map((r) => {
          const copy: TransferRow = { ...r };
          for (const key of ['phone', 'email'] as const) {
            const value = copy[key]?.toLowerCase();
            if (value && seen.has(value)) delete copy[key];
            else if (value) seen.add(value);
          }
          return copy;
        });
        const parsed = ok(
          format === 'json' ? parseJsonImport(writeExport(unique, 'json')) : parseCsvImport(writeExport(unique, 'csv', format === 'csv;' ? ';' : ',')),
        );
        expect(parsed.problems).toEqual([]);
        expect(parsed.valid.map((r) => r.data)).toEqual(unique);
      }),
      { numRuns: 60 },
    );
  });
});

describe('CSV injection: a cell a spreadsheet would run as a formula is exported as text', () => {
  // The six cells of issue 9, one per character a spreadsheet starts a formula with.
  const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
  const attacks = ["=HYPERLINK(\"https://evil.example\",\"Open\")", "+cmd|' /C calc'!A0", '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

  test.each(TRIGGERS)('a cell beginning with %j gets a single quote in front, and loses it on the way back', (trigger) => {
    const cell = `${trigger}1+1`;
    expect(guardFormula(cell)).toBe(`'${cell}`);
    expect(unguardFormula(guardFormula(cell))).toBe(cell);
  });

  test('other cells are written as they are; a quote of their own is kept', () => {
    for (const cell of ['Ana', ' =1', '1+1', 'a=b', "'", "'quoted", "O'Brien", '']) {
      expect(guardFormula(cell)).toBe(cell);
      expect(unguardFormula(cell)).toBe(cell);
    }
  });

  test('the guard is reversible for every string, even one that begins with guard quotes', () => {
    expect(guardFormula("'=1")).toBe("''=1");
    expect(unguardFormula("''=1")).toBe("'=1");
    const cell = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' '), maxLength: 8 });
    fc.assert(fc.property(cell, (value) => unguardFormula(guardFormula(value)) === value));
    fc.assert(fc.property(cell, cell, (a, b) => a === b || guardFormula(a) !== guardFormula(b)));
  });

  test('an export of hostile names, notes and e-mails: no cell begins like a formula, and it imports back the same', () => {
    const rows: TransferRow[] = attacks.map((name, i) => ({
      contactId: String(101 + i),
      name,
      phone: `+551198765432${i}`,
      ...(i === 2 ? { email: '-x@evil.example' } : {}),
      status: 'blocked',
      note: attacks[(i + 1) % attacks.length],
    }));
    for (const separator of [',', ';'] as const) {
      const exported = writeExport(rows, 'csv', separator);
      const [header, ...records] = parseCsv(exported.replace(/^\uFEFF/, ''), separator);
      expect(header).toEqual(['contact_id', 'name', 'phone', 'email', 'status', 'note']);
      expect(records).toHaveLength(attacks.length);
      for (const cell of records.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
      expect(records.map((record) => record[1])).toEqual(attacks.map((attack) => `'${attack}`));
      expect(records[2]?.[3]).toBe("'-x@evil.example");
      const back = ok(parseCsvImport(exported));
      expect(back.problems).toEqual([]);
      expect(back.valid.map((row) => row.data)).toEqual(rows);
    }
  });

  test('a phone is guarded too (a spreadsheet would make +5511… a number) and is recognised on import', () => {
    const exported = writeExport([{ contactId: '7', phone: '+5511987654321', status: 'blocked' }], 'csv');
    expect(parseCsv(exported.replace(/^\uFEFF/, ''))[1]?.[2]).toBe("'+5511987654321");
    expect(ok(parseCsvImport(exported)).valid[0]?.data).toEqual({ contactId: '7', phone: '+5511987654321', status: 'blocked' });
    // A hand-made file with the spreadsheets' text mark in any spelling of the phone.
    const typed = ok(parseCsvImport("phone;status\n'+55 (11) 98765-4321;bloqueado\n'+33 6 12 34 56 78;archived\n"));
    expect(typed.valid.map((row) => row.data.phone)).toEqual(['+5511987654321', '+33612345678']);
  });
});
