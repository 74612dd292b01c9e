/**
 * Phone numbers for the reference inbox. The model stores E.164 (`+5511987654321`); this file
 * derives the forms each surface shows: Helena's raw `+55|11987654321` and national display
 * `(11) 98765-4321`, and the page's international display `+55 11 98765-4321`.
 * Only Brazil and France get real national formats (the seed's countries); others are grouped.
 */

/** ITU country calling codes (prefix-free, so the first match is the only match). */
const COUNTRY_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86',
  '90', '91', '92', '93', '94', '95', '98', '212', '213', '216', '234', '244', '254', '258', '351', '352', '353',
  '354', '356', '357', '358', '359', '370', '371', '372', '380', '381', '385', '386', '420', '421', '502', '503',
  '504', '505', '506', '507', '591', '593', '595', '598', '852', '853', '886', '961', '962', '966', '971', '972',
]);

export function digitsOf(input: string): string {
  return input.replace(/\D/g, '');
}

/** `+55 (11) 98765-4321`, `5511987654321`, `+55|11987654321` → `+5511987654321`; null when no digits. */
export function toE164(input: string): string | null {
  const digits = digitsOf(input);
  return digits.length >= 6 ? `+${digits}` : null;
}

export function splitE164(e164: string): { cc: string; national: string } {
  const digits = digitsOf(e164);
  for (const len of [1, 2, 3]) {
    const cc = digits.slice(0, len);
    if (COUNTRY_CODES.has(cc)) return { cc, national: digits.slice(len) };
  }
  return { cc: digits.slice(0, 2), national: digits.slice(2) };
}

/** Helena's stored form: `+<country code>|<national number>` (FACTS §3, webhook example). */
export function helenaRaw(e164: string): string {
  const { cc, national } = splitE164(e164);
  return `+${cc}|${national}`;
}

function group(national: string): string {
  return national.replace(/(\d{2,3})(?=(\d{2,3})+$)/g, '$1 ').trim();
}

/** National display form: BR `(11) 98765-4321`, FR `06 12 34 56 78`. */
export function nationalFormat(e164: string): string {
  const { cc, national } = splitE164(e164);
  if (cc === '55' && (national.length === 11 || national.length === 10)) {
    const split = national.length - 4;
    return `(${national.slice(0, 2)}) ${national.slice(2, split)}-${national.slice(split)}`;
  }
  if (cc === '33' && national.length === 9) {
    return `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  }
  return group(national);
}

/** International display form for the web page: `+55 11 98765-4321`, `+33 6 12 34 56 78`. */
export function internationalFormat(e164: string): string {
  const { cc, national } = splitE164(e164);
  if (cc === '55' && (national.length === 11 || national.length === 10)) {
    const split = national.length - 4;
    return `+55 ${national.slice(0, 2)} ${national.slice(2, split)}-${national.slice(split)}`;
  }
  if (cc === '33' && national.length === 9) {
    return `+33 ${national[0] ?? ''} ${national.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  }
  return `+${cc} ${group(national)}`;
}
