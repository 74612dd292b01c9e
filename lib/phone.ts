/**
 * Phone numbers in E.164 (+5511987654321), through libphonenumber-js (its small "min"
 * metadata, without the formatting rules in builds): what a user selects or types ("+55 (11) 98765-4321", "0033 6 12 34 56 78") and
 * what platforms store (Helena's "+55|11987654321") all come out the same, or not at all.
 */
import { parsePhoneNumberFromString, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
// Trimmed of its formatting rules by the build (lib/phone-metadata.ts).
import metadata from 'libphonenumber-js/metadata.min.json';

function parse(text: string, defaultCountry?: CountryCode): string | null {
  try {
    const parsed = parsePhoneNumberFromString(text, { defaultCountry }, metadata as MetadataJson);
    return parsed?.isPossible() ? parsed.number : null;
  } catch {
    return null;
  }
}

/**
 * The E.164 form of `input`, or null when it is not a possible phone number. Idempotent: the
 * answer normalises to itself (a typed national 0 after the country code, "+49 0 30 …", is
 * stripped until the number stops changing).
 */
export function toE164(input: string, defaultCountry?: CountryCode): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  // Helena's stored form puts a bar between country code and national number.
  const cleaned = input.trim().replace('|', '').replace(/^00/, '+');
  if (!/\d/.test(cleaned)) return null;
  let current = parse(cleaned, defaultCountry);
  // Already E.164 and unchanged by parsing: parsing it again would give it back (the default
  // country plays no part in an international number), so the check is skipped. Halves the
  // cost of an import of numbers exported in this form.
  if (current === cleaned) return current;
  for (let step = 0; current !== null && step < 4; step += 1) {
    const again = parse(current);
    if (again === current) return current;
    current = again;
  }
  return null;
}

/** Digits only, with the country code: how Helena looks a phone up (`/contact/phonenumber/{…}`). */
export function e164Digits(e164: string): string {
  return e164.replace(/\D/g, '');
}
