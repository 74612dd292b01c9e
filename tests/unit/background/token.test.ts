/**
 * The remembered token is sealed in IndexedDB (lib/background/token.ts): AES-GCM ciphertext and
 * a non-extractable key, so no byte of the record is the token; it opens after the browser
 * restarts (session storage emptied); unticking "remember" deletes the record; a token saved in
 * clear by an earlier version is sealed at its first read; a damaged record reads as "no token".
 */
import { describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { forgetToken, getToken, hasToken, saveToken, setRemember } from '@/lib/background/token';
import { openStore, type SealedSecret } from '@/lib/store/db';

const TOKEN = 'pn_Remembered_7f3a9c1e5b2d4a60';

/** Every byte the record holds, as the disk would: its strings and its buffers. */
async function recordBytes(): Promise<string> {
  const record = (await (await openStore()).get('secrets', 'apiToken')) as unknown as Record<string, unknown> | undefined;
  if (!record) return '';
  return Object.values(record)
    .map((value) => (value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? new TextDecoder('latin1').decode(value as ArrayBuffer) : JSON.stringify(value)))
    .join('|');
}

const sealed = async () => (await (await openStore()).get('secrets', 'apiToken')) as SealedSecret | undefined;

describe('the remembered token is sealed', () => {
  test('remembered: the record holds ciphertext and a key no script can export, never the token', async () => {
    await saveToken(TOKEN, true);
    const record = await sealed();
    expect(record?.key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(record?.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', record!.key)).rejects.toThrow();
    expect(record?.iv.byteLength).toBe(12);
    expect(await recordBytes()).not.toContain(TOKEN);
    expect(JSON.stringify(await fakeBrowser.storage.session.get())).not.toContain(TOKEN);
    expect(await getToken()).toBe(TOKEN);
  });

  test('it opens again after the browser restarts (session storage emptied)', async () => {
    await saveToken(TOKEN, true);
    await fakeBrowser.storage.session.clear();
    expect(await getToken()).toBe(TOKEN);
    expect(await hasToken()).toBe(true);
  });

  test('a fresh key and IV at every save', async () => {
    await saveToken(TOKEN, true);
    const first = await sealed();
    await saveToken(TOKEN, true);
    const second = await sealed();
    expect(Buffer.from(second!.iv).equals(Buffer.from(first!.iv))).toBe(false);
    expect(Buffer.from(second!.data).equals(Buffer.from(first!.data))).toBe(false);
    // The first key does not open the second ciphertext.
    await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv: second!.iv }, first!.key, second!.data)).rejects.toThrow();
  });

  test('unticking "remember" deletes the record and keeps the token for the session only', async () => {
    await saveToken(TOKEN, true);
    await setRemember(false);
    expect(await sealed()).toBeUndefined();
    expect(JSON.stringify(await fakeBrowser.storage.session.get())).toContain(TOKEN);
    expect(await getToken()).toBe(TOKEN);
    await forgetToken();
    expect(await getToken()).toBeNull();
  });

  test('a token an earlier version saved in clear is sealed at its first read', async () => {
    await (await openStore()).put('secrets', { name: 'apiToken', value: TOKEN, savedAt: 1 });
    expect(await getToken()).toBe(TOKEN);
    const record = await sealed();
    expect(record && 'value' in record).toBe(false);
    expect(await recordBytes()).not.toContain(TOKEN);
    await fakeBrowser.storage.session.clear();
    expect(await getToken()).toBe(TOKEN);
  });

  test('a damaged record reads as no token (sign in again), without throwing', async () => {
    await saveToken(TOKEN, true);
    const record = (await sealed())!;
    const data = new Uint8Array(record.data.slice(0));
    data[0]! ^= 0xff;
    await (await openStore()).put('secrets', { ...record, data: data.buffer });
    expect(await getToken()).toBeNull();
    await (await openStore()).put('secrets', { name: 'apiToken', savedAt: 1 } as unknown as SealedSecret);
    expect(await getToken()).toBeNull();
  });
});
