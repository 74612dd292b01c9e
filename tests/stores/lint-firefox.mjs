#!/usr/bin/env node
// `npm run lint:firefox`: Firefox Add-ons' own linter (web-ext lint → addons-linter) on the
// Firefox store build, .output/firefox-mv3. Rebuilds first when a source is newer than the
// build (or with --build). Prints every error and warning, writes a summary for the `npm test`
// table (test-results/lint-firefox.json), exits 1 on any error or if the linter did not run.
// Offline: web-ext's update check is switched off and no config file is read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const outDir = join(root, '.output', 'firefox-mv3');
const manifest = join(outDir, 'manifest.json');
const sources = ['lib', 'components', 'entrypoints', 'public', 'wxt.config.ts', 'package.json', 'package-lock.json'];
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const stale = !existsSync(manifest) || Math.max(...sources.map((path) => newest(join(root, path)))) > statSync(manifest).mtimeMs;
if (process.argv.includes('--build') || stale) {
  console.log('Building the Firefox store package (.output/firefox-mv3)…');
  const build = spawnSync(npx, ['wxt', 'build', '-b', 'firefox', '--mv3'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) {
    console.error('lint:firefox: the Firefox build failed');
    process.exit(1);
  }
}

const lint = spawnSync(npx, ['web-ext', 'lint', '--source-dir', outDir, '--output', 'json', '--no-config-discovery'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
});
let report;
try {
  report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
} catch {
  console.error(`lint:firefox: web-ext lint gave no report (exit ${lint.status})\n${lint.stdout}\n${lint.stderr}`);
  process.exit(1);
}

const where = (message) => (message.file ? ` ${message.file}${message.line ? `:${message.line}:${message.column ?? 0}` : ''}` : '');
for (const kind of ['errors', 'warnings', 'notices']) {
  for (const message of report[kind]) {
    console.log(`${kind.slice(0, -1).toUpperCase()} ${message.code}${where(message)}\n    ${message.message}${message.description ? `: ${String(message.description).replace(/\s+/g, ' ').slice(0, 240)}` : ''}`);
  }
}
const { errors, warnings, notices } = report.summary;
console.log(`web-ext lint (${outDir.slice(root.length + 1)}): ${errors} errors, ${warnings} warnings, ${notices} notices`);
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'lint-firefox.json'), JSON.stringify(report.summary));
process.exit(errors === 0 ? 0 : 1);
