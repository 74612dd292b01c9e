/**
 * Id factories for the reference inbox model (model.ts is the only caller).
 *
 * Helena identifies everything with uuids; Chatwoot with per-table integer sequences.
 * Both factories are deterministic: a reset (or a fresh instance) hands out the same ids in
 * the same order, so the seeded contacts keep their ids across `POST /__control/reset`.
 */
import type { Style } from './types.ts';

export type Id = string | number;
export type IdKind = 'account' | 'user' | 'agent' | 'contact' | 'conversation' | 'message' | 'channel';

export interface IdFactory {
  next(kind: IdKind): Id;
  /** A uuid v4-looking string (Chatwoot conversations carry one besides their integer id). */
  uuid(): string;
}

/** mulberry32: tiny, fast, and its state never repeats within 2^32 draws, so uuids never collide. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Two hex digits per byte value: hex8 runs four times per uuid, 100,000s of times in a bulk seed. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return (HEX_BYTE[n >>> 24] ?? '') + (HEX_BYTE[(n >>> 16) & 0xff] ?? '') + (HEX_BYTE[(n >>> 8) & 0xff] ?? '') + (HEX_BYTE[n & 0xff] ?? '');
}

function uuidFrom(rand: () => number): string {
  const a = hex8(rand());
  const b = hex8(rand());
  const c = hex8(rand());
  const d = hex8(rand());
  // Version nibble 4 and RFC 4122 variant (8, 9, a or b), as crypto.randomUUID() would give.
  const variant = ((parseInt(c[0] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export function createIdFactory(style: Style): IdFactory {
  const rand = prng(style === 'helena' ? 0x4e1e4a : 0xc4a7);
  if (style === 'helena') {
    return { next: () => uuidFrom(rand), uuid: () => uuidFrom(rand) };
  }
  const counters = new Map<IdKind, number>();
  return {
    next(kind) {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      return n;
    },
    uuid: () => uuidFrom(rand),
  };
}

/** Map key for an id: path parameters arrive as strings, Chatwoot ids are numbers. */
export function idKey(id: Id): string {
  return String(id);
}
