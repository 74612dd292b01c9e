// @vitest-environment node
/**
 * The store-package check (`npm run zip:check`, tests/stores/packages.ts) on hand-made zips:
 * it passes good packages and names each way a package can be unfit for a store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPackages, packageNames, readZip } from '../../stores/packages';

/** A minimal zip writer (deflate, or stored with `store`). */
function zip(files: Record<string, string>, store = false): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const body = store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(store ? 0 : 8, 10);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const names = packageNames('inbox-guard', '1.2.3');
const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    manifest_version: 3,
    default_locale: 'en',
    host_permissions: ['https://app.chatwoot.com/*'],
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://[::1]/*', 'http://localhost/*'],
    background: { service_worker: 'background.js' },
    content_scripts: [{ matches: ['https://app.chatwoot.com/*'], js: ['content-scripts/inbox.js'] }],
    ...extra,
  });
const bundle = { 'background.js': '', 'content-scripts/inbox.js': '', '_locales/en/messages.json': '{}' };
const gecko = { browser_specific_settings: { gecko: { id: 'inbox-guard@inbox-guard.dev' } } };
const sources = {
  'package.json': '{}',
  'package-lock.json': '{}',
  'wxt.config.ts': '',
  'tsconfig.json': '{}',
  'README.md': '',
  'lib/roles.ts': '',
  'components/Button/Button.tsx': '',
  'entrypoints/background.ts': '',
  'public/_locales/en/messages.json': '{}',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ig-packages-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(chrome: Record<string, string> | null, firefox: Record<string, string> | null, source: Record<string, string> | null) {
  if (chrome) writeFileSync(join(dir, names.chrome), zip(chrome));
  if (firefox) writeFileSync(join(dir, names.firefox), zip(firefox, true));
  if (source) writeFileSync(join(dir, names.sources), zip(source));
}

describe('store packages', () => {
  it('reads stored and deflated entries back', () => {
    for (const store of [true, false]) {
      const entries = readZip(zip({ 'a/b.txt': 'héllo', 'c.json': '{"x":1}' }, store));
      expect(entries.map((entry) => [entry.name, entry.read().toString()])).toEqual([
        ['a/b.txt', 'héllo'],
        ['c.json', '{"x":1}'],
      ]);
    }
  });

  it('passes a Chrome package, a Firefox package and a sources package fit for the stores', () => {
    write({ 'manifest.json': manifest(), ...bundle }, { 'manifest.json': manifest(gecko), ...bundle }, sources);
    expect(checkPackages(dir, names)).toEqual([]);
  });

  it('names a package that was not made', () => {
    write({ 'manifest.json': manifest(), ...bundle }, null, sources);
    expect(checkPackages(dir, names)).toEqual(['inbox-guard-1.2.3-firefox.zip: missing']);
  });

  it('refuses a manifest not at the root, of Manifest V2, or with the e2e build loopback hosts', () => {
    write(
      { 'chrome-mv3/manifest.json': manifest(), ...bundle },
      { 'manifest.json': manifest({ ...gecko, manifest_version: 2, host_permissions: ['http://127.0.0.1/*'] }), ...bundle },
      sources,
    );
    const problems = checkPackages(dir, names);
    expect(problems).toContain('inbox-guard-1.2.3-chrome.zip: no manifest.json at the root of the zip');
    expect(problems).toContain('inbox-guard-1.2.3-firefox.zip: manifest_version is 2, not 3');
    expect(problems).toContain('inbox-guard-1.2.3-firefox.zip: loopback hosts from the e2e build: http://127.0.0.1/*');
  });

  it('refuses optional hosts wider than the settings accept: http:// off loopback would carry the token in clear', () => {
    write(
      { 'manifest.json': manifest({ optional_host_permissions: ['https://*/*', 'http://*/*'] }), ...bundle },
      { 'manifest.json': manifest({ ...gecko, optional_host_permissions: ['<all_urls>', 'http://127.0.0.1/*'] }), ...bundle },
      sources,
    );
    expect(checkPackages(dir, names)).toEqual([
      'inbox-guard-1.2.3-chrome.zip: optional hosts the settings would refuse (cleartext or unknown): http://*/*',
      'inbox-guard-1.2.3-firefox.zip: optional hosts the settings would refuse (cleartext or unknown): <all_urls>',
    ]);
  });

  it('refuses a Firefox package without its gecko id, and a package missing a file its manifest names', () => {
    const { 'content-scripts/inbox.js': _dropped, ...partial } = bundle;
    write({ 'manifest.json': manifest(), ...partial }, { 'manifest.json': manifest(), ...bundle }, sources);
    expect(checkPackages(dir, names)).toEqual([
      'inbox-guard-1.2.3-chrome.zip: the manifest names files the zip lacks: content-scripts/inbox.js',
      'inbox-guard-1.2.3-firefox.zip: no browser_specific_settings.gecko.id',
    ]);
  });

  it('refuses a sources package with node_modules, outputs or tests in it, or without what a rebuild needs', () => {
    const { 'package-lock.json': _lock, ...withoutLock } = sources;
    write(
      { 'manifest.json': manifest(), ...bundle },
      { 'manifest.json': manifest(gecko), ...bundle },
      { ...withoutLock, 'node_modules/preact/package.json': '{}', '.output/chrome-mv3/manifest.json': '{}', 'tests/unit/x.test.ts': '' },
    );
    expect(checkPackages(dir, names)).toEqual([
      'inbox-guard-1.2.3-sources.zip: holds what is not source: node_modules/preact/package.json, .output/chrome-mv3/manifest.json, tests/unit/x.test.ts',
      'inbox-guard-1.2.3-sources.zip: lacks package-lock.json',
    ]);
  });
});
