// @vitest-environment node
/**
 * Properties of phone normalisation (lib/phone.ts): whatever the input, `toE164` answers null
 * or an E.164 number, answers it again for its own answer, and every way of writing one number
 * (spaces, dashes, dots, parentheses, a 00 prefix, Helena's "+55|…" bar) comes out the same.
 */
import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js/min';
import { parsePhoneNumberFromString as parseWith, type MetadataJson } from 'libphonenumber-js/core';
import minMetadata from 'libphonenumber-js/metadata.min.json';
import { parsingMetadata } from '@/lib/phone-metadata';
import { describe, expect, test } from 'vitest';
import { e164Digits, toE164 } from '@/lib/phone';

const RUNS = 10_000;
const TIMEOUT = 60_000;
// E.164: "+", a country code not starting with 0, at most 15 digits in all. The lower bound is
// 6 digits, not 7: libphonenumber's metadata holds 4-digit national numbers possible in Germany,
// Austria and Iran (+43 1234, +49 1234), and toE164 follows libphonenumber on purpose.
const E164 = /^\+[1-9]\d{5,14}$/;

const phoneChar = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '+', '(', ')', '-', '.', '|', '00', '\u00a0', '/');
const phoneLike = fc.array(phoneChar, { maxLength: 30 }).map((parts) => parts.join(''));

const inputs = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  phoneLike,
  phoneLike.map((text) => `00${text}`),
  phoneLike.map((text) => `+${text}`),
  phoneLike.map((text) => `+55|${text}`),
  // Around and past the 64-character limit.
  fc.array(phoneChar, { minLength: 50, maxLength: 200 }).map((parts) => parts.join('')),
  fc.nat({ max: 10 }).map((n) => `+55 11 98765-4321${' '.repeat(n + 40)}`),
);

const defaultCountry = fc.option(fc.constantFrom<CountryCode>('BR', 'US', 'FR', 'DE', 'GB', 'PT', 'IN', 'AR', 'MX'), { nil: undefined });

describe('toE164: any input', () => {
  test('never throws; answers null or an E.164 number (+, then 7 to 15 digits, not starting with 0)', () => {
    fc.assert(
      fc.property(inputs, defaultCountry, (input, country) => {
        const result = toE164(input, country);
        if (result !== null) expect(result).toMatch(E164);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('is idempotent: its own answer normalises to itself, with or without a default country', () => {
    fc.assert(
      fc.property(inputs, defaultCountry, defaultCountry, (input, country, again) => {
        const result = toE164(input, country);
        if (result === null) return;
        expect(toE164(result)).toBe(result);
        expect(toE164(result, again)).toBe(result);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('e164Digits keeps only the digits, and of an E.164 number exactly the digits after "+"', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(e164Digits(input)).toMatch(/^\d*$/);
        expect(e164Digits(input)).toBe([...input].filter((char) => char >= '0' && char <= '9').join(''));
        const result = toE164(input);
        if (result !== null) expect(e164Digits(result)).toBe(result.slice(1));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

// ---- one number, many spellings ------------------------------------------------------------

const COUNTRY_CODES = ['1', '7', '20', '27', '31', '33', '34', '39', '44', '49', '52', '54', '55', '56', '57', '61', '81', '86', '91', '351', '353', '358', '380', '420', '971', '972'];

/** A number as '+' + country code + national digits (not always a possible one). */
const number = fc.record({
  cc: fc.constantFrom(...COUNTRY_CODES),
  national: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 5, maxLength: 11 })).map(([first, rest]) => `${first}${rest.join('')}`),
});

/** The national digits cut in groups, each group followed by a separator. */
const layout = fc.record({
  cuts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
  separators: fc.array(fc.constantFrom(' ', '-', '.', ' - '), { minLength: 1, maxLength: 5 }),
  parenthesisedFirst: fc.boolean(),
  afterCountry: fc.constantFrom('', ' ', '-', ' '),
  prefix: fc.constantFrom('+', '00', '+|', 'bar'),
  outerSpaces: fc.constantFrom('', ' ', '  '),
});

type Layout = typeof layout extends fc.Arbitrary<infer L> ? L : never;

function spell({ cc, national }: { cc: string; national: string }, how: Layout): string {
  const groups: string[] = [];
  let rest = national;
  for (const cut of how.cuts) {
    if (!rest) break;
    groups.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) groups.push(rest);
  if (how.parenthesisedFirst && groups.length > 1) groups[0] = `(${groups[0]})`;
  const body = groups.map((group, i) => (i === 0 ? group : how.separators[i % how.separators.length] + group)).join('');
  const head = how.prefix === 'bar' ? `+${cc}|` : how.prefix === '+|' ? `+${cc}${how.afterCountry}` : `${how.prefix}${cc}${how.afterCountry}`;
  return `${how.outerSpaces}${head}${body}`;
}

describe('toE164: one number, many spellings', () => {
  test('every spelling of a number (spaces, dashes, dots, parentheses, 00, Helena\'s "+cc|" bar) that normalises, normalises to the same E.164', () => {
    fc.assert(
      fc.property(number, fc.array(layout, { minLength: 1, maxLength: 4 }), (phone, layouts) => {
        const plain = `+${phone.cc}${phone.national}`;
        const expected = toE164(plain);
        for (const how of layouts) {
          const result = toE164(spell(phone, how));
          if (result !== null) expect(result).toBe(expected);
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('with a default country too, every spelling without surrounding whitespace that normalises, normalises to the same E.164', () => {
    fc.assert(
      fc.property(number, fc.array(layout, { minLength: 1, maxLength: 4 }), defaultCountry, (phone, layouts, country) => {
        const expected = toE164(`+${phone.cc}${phone.national}`);
        for (const how of layouts) {
          const result = toE164(spell({ ...phone }, { ...how, outerSpaces: '' }), country);
          if (result !== null) expect(result).toBe(expected);
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('with a default country, surrounding whitespace never changes which number comes out', () => {
    fc.assert(
      fc.property(number, layout, defaultCountry, (phone, how, country) => {
        const result = toE164(spell(phone, how), country);
        if (result !== null) expect(result).toBe(toE164(`+${phone.cc}${phone.national}`));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('a possible number is recognised in every spelling', () => {
    fc.assert(
      fc.property(number, layout, (phone, how) => {
        const expected = toE164(`+${phone.cc}${phone.national}`);
        fc.pre(expected !== null);
        const spelled = spell(phone, how);
        expect(toE164(spelled)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('examples from the platforms and from users', () => {
    expect(toE164('+55|11987654321')).toBe('+5511987654321');
    expect(toE164('+55 (11) 98765-4321')).toBe('+5511987654321');
    expect(toE164('0033 6 12 34 56 78')).toBe('+33612345678');
    expect(toE164('(11) 98765-4321', 'BR')).toBe('+5511987654321');
    expect(toE164('call me')).toBeNull();
  });
});

describe('the build\'s trimmed metadata (lib/phone-metadata.ts)', () => {
  const trimmed = parsingMetadata(minMetadata as unknown as Parameters<typeof parsingMetadata>[0]) as unknown as MetadataJson;
  const answer = (text: string, country: CountryCode | undefined, metadata: MetadataJson) => {
    try {
      const parsed = parseWith(text, { defaultCountry: country }, metadata);
      return parsed?.isPossible() ? parsed.number : null;
    } catch {
      return null;
    }
  };

  test('is much smaller than the full "min" metadata', () => {
    expect(JSON.stringify(trimmed).length).toBeLessThan(JSON.stringify(minMetadata).length * 0.7);
  });

  test('gives the same E.164 answer as the full metadata, whatever the input and country', () => {
    fc.assert(
      fc.property(inputs, defaultCountry, (input, country) => {
        expect(answer(input, country, trimmed)).toBe(answer(input, country, minMetadata as unknown as MetadataJson));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
