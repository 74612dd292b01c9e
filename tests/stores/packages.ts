/**
 * What `npm run zip` must produce for the stores, checked on the zips themselves:
 * the Chrome package and the Firefox package each with a Manifest V3 manifest.json at their
 * root and no loopback host (that belongs to the e2e build only), optional hosts no wider than
 * what the settings accept (lib/hosts.ts OPTIONAL_HOSTS: https://, http:// on loopback only, so
 * never `http://*\/*`), the Firefox one with its gecko id; the sources package for Firefox Add-ons' review with what a reviewer needs to
 * rebuild (package.json, the lockfile, wxt.config.ts, tsconfig.json, lib/, components/,
 * entrypoints/, public/, README.md) and nothing that is not source (node_modules, build
 * outputs, tests, screenshots).
 *
 * A small reader of the zip format (central directory + inflate) keeps this free of
 * dependencies; `npm run zip:check` runs it (tests/stores/check-packages.ts), and
 * tests/unit/stores/packages.test.ts checks the checker on hand-made zips.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { OPTIONAL_HOSTS } from '../../lib/hosts';

export interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The entries of a zip file (stored or deflated), in central-directory order. */
export function readZip(data: Buffer): ZipEntry[] {
  let end = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at -= 1) {
    if (data.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (data.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = data.readUInt16LE(at + 10);
    const compressedSize = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.push({
      name,
      read() {
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const raw = data.subarray(start, start + compressedSize);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`${name}: unsupported compression method ${method}`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export interface PackageNames {
  chrome: string;
  firefox: string;
  sources: string;
}

/** WXT's default artifact names: {{name}}-{{packageVersion}}-{{browser}}.zip and …-sources.zip. */
export function packageNames(name: string, version: string): PackageNames {
  return {
    chrome: `${name}-${version}-chrome.zip`,
    firefox: `${name}-${version}-firefox.zip`,
    sources: `${name}-${version}-sources.zip`,
  };
}

const LOOPBACK = /127\.0\.0\.1|localhost|\[::1\]/;
const SOURCES_REQUIRED = ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md'];
const SOURCES_DIRS = ['lib/', 'components/', 'entrypoints/', 'public/'];
const SOURCES_FORBIDDEN = /(^|\/)node_modules\/|^\.output\/|^\.wxt\/|^tests\/|^test-results\/|^bench-output\/|^demo-output\/|^docs\/screenshots\//;

function manifestProblems(label: string, entries: ZipEntry[], browser: 'chrome' | 'firefox'): string[] {
  const entry = entries.find((candidate) => candidate.name === 'manifest.json');
  if (!entry) return [`${label}: no manifest.json at the root of the zip`];
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(entry.read().toString('utf8')) as Record<string, unknown>;
  } catch {
    return [`${label}: manifest.json is not JSON`];
  }
  const problems: string[] = [];
  if (manifest.manifest_version !== 3) problems.push(`${label}: manifest_version is ${String(manifest.manifest_version)}, not 3`);
  const hosts = [
    ...((manifest.host_permissions as string[] | undefined) ?? []),
    ...(((manifest.content_scripts as { matches?: string[] }[] | undefined) ?? []).flatMap((script) => script.matches ?? [])),
  ];
  const loopback = hosts.filter((host) => LOOPBACK.test(host));
  if (loopback.length) problems.push(`${label}: loopback hosts from the e2e build: ${loopback.join(', ')}`);
  const optional = (manifest.optional_host_permissions as string[] | undefined) ?? [];
  const wider = optional.filter((host) => !OPTIONAL_HOSTS.includes(host));
  if (wider.length) problems.push(`${label}: optional hosts the settings would refuse (cleartext or unknown): ${wider.join(', ')}`);
  const gecko = (manifest.browser_specific_settings as { gecko?: { id?: string } } | undefined)?.gecko;
  if (browser === 'firefox' && !gecko?.id) problems.push(`${label}: no browser_specific_settings.gecko.id`);
  const missing = referencedFiles(manifest).filter((file) => !entries.some((candidate) => candidate.name === file));
  if (missing.length) problems.push(`${label}: the manifest names files the zip lacks: ${missing.join(', ')}`);
  return problems;
}

function referencedFiles(manifest: Record<string, unknown>): string[] {
  const background = manifest.background as { service_worker?: string; scripts?: string[] } | undefined;
  const scripts = (manifest.content_scripts as { js?: string[]; css?: string[] }[] | undefined) ?? [];
  const options = manifest.options_ui as { page?: string } | undefined;
  const action = manifest.action as { default_popup?: string } | undefined;
  return [
    ...(background?.service_worker ? [background.service_worker] : []),
    ...(background?.scripts ?? []),
    ...scripts.flatMap((script) => [...(script.js ?? []), ...(script.css ?? [])]),
    ...(options?.page ? [options.page] : []),
    ...(action?.default_popup ? [action.default_popup] : []),
    ...(manifest.default_locale ? [`_locales/${String(manifest.default_locale)}/messages.json`] : []),
  ];
}

function sourcesProblems(label: string, entries: ZipEntry[]): string[] {
  const names = entries.map((entry) => entry.name);
  const problems: string[] = [];
  const forbidden = names.filter((name) => SOURCES_FORBIDDEN.test(name));
  if (forbidden.length) problems.push(`${label}: holds what is not source: ${forbidden.slice(0, 5).join(', ')}${forbidden.length > 5 ? ` and ${forbidden.length - 5} more` : ''}`);
  for (const file of SOURCES_REQUIRED) if (!names.includes(file)) problems.push(`${label}: lacks ${file}`);
  for (const dir of SOURCES_DIRS) if (!names.some((name) => name.startsWith(dir))) problems.push(`${label}: lacks ${dir}`);
  return problems;
}

/** Every problem with the three packages in `dir` (empty: all good). */
export function checkPackages(dir: string, names: PackageNames): string[] {
  const problems: string[] = [];
  const open = (file: string): ZipEntry[] | null => {
    try {
      return readZip(readFileSync(`${dir}/${file}`));
    } catch (error) {
      problems.push(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message}`);
      return null;
    }
  };
  const chrome = open(names.chrome);
  if (chrome) problems.push(...manifestProblems(names.chrome, chrome, 'chrome'));
  const firefox = open(names.firefox);
  if (firefox) problems.push(...manifestProblems(names.firefox, firefox, 'firefox'));
  const sources = open(names.sources);
  if (sources) problems.push(...sourcesProblems(names.sources, sources));
  return problems;
}
