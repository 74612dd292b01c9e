/**
 * libphonenumber-js's "min" metadata without its national formatting rules (`formats`), which
 * only `format()` and the as-you-type formatter read. Parsing, `isPossible()` and E.164 output
 * do not, and the rules are half the metadata: the build (wxt.config.ts) serves this trimmed
 * copy wherever `libphonenumber-js/metadata.min.json` is imported, so the background stays
 * within its size budget. tests/unit/properties/phone.test.ts checks that both copies give the
 * same E.164 answers.
 */
type CountryEntry = unknown[];

interface MetadataShape {
  countries: Record<string, CountryEntry>;
  nonGeographic?: Record<string, CountryEntry>;
  [key: string]: unknown;
}

/** Index of the formats list in a "min" country entry (see libphonenumber-js's metadata docs). */
const FORMATS = 4;

export function parsingMetadata<T extends MetadataShape>(metadata: T): T {
  const trim = (entries: Record<string, CountryEntry> | undefined) =>
    entries &&
    Object.fromEntries(
      Object.entries(entries).map(([code, entry]) => [code, entry.map((value, index) => (index === FORMATS && Array.isArray(value) ? [] : value))]),
    );
  return { ...metadata, countries: trim(metadata.countries)!, ...(metadata.nonGeographic ? { nonGeographic: trim(metadata.nonGeographic) } : {}) };
}
