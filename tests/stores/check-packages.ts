/**
 * `npm run zip:check` (after `npm run zip`): the three store zips in .output/ pass
 * tests/stores/packages.ts, and the sources zip rebuilds the Firefox package byte for byte —
 * what a Firefox Add-ons reviewer does with `npm ci && npm run build:firefox` (here the
 * worktree's node_modules stands in for `npm ci`, which would need the network).
 * Exits 1 on any problem. About 10 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { checkPackages, packageNames, readZip } from './packages';

const root = process.cwd();
const outputDir = join(root, '.output');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const names = packageNames(pkg.name, pkg.version);
const problems = checkPackages(outputDir, names);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

if (problems.length === 0) {
  const work = mkdtempSync(join(tmpdir(), 'inbox-guard-sources-'));
  try {
    for (const entry of readZip(readFileSync(join(outputDir, names.sources)))) {
      if (entry.name.endsWith('/')) continue;
      mkdirSync(dirname(join(work, entry.name)), { recursive: true });
      writeFileSync(join(work, entry.name), entry.read());
    }
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    const build = spawnSync('npm', ['run', '--silent', 'build:firefox'], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status !== 0) {
      problems.push(`${names.sources}: \`npm run build:firefox\` failed in the unpacked sources:\n${build.stdout}\n${build.stderr}`);
    } else {
      const rebuilt = join(work, '.output', 'firefox-mv3');
      const shipped = new Map(readZip(readFileSync(join(outputDir, names.firefox))).map((entry) => [entry.name, entry]));
      const built = filesUnder(rebuilt).map((path) => relative(rebuilt, path).replaceAll('\\', '/'));
      for (const name of built) {
        const entry = shipped.get(name);
        if (!entry) problems.push(`rebuilt from sources, not in ${names.firefox}: ${name}`);
        else if (!entry.read().equals(readFileSync(join(rebuilt, name)))) problems.push(`rebuilt from sources, differs from ${names.firefox}: ${name}`);
      }
      for (const name of shipped.keys()) if (!built.includes(name)) problems.push(`in ${names.firefox}, not rebuilt from sources: ${name}`);
      if (problems.length === 0) console.log(`✔ ${names.sources} rebuilds ${names.firefox} identically (${built.length} files)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (problems.length) {
  for (const problem of problems) console.error(`✘ ${problem}`);
  process.exit(1);
}
console.log(`✔ ${Object.values(names).join(', ')}: Manifest V3 at the root, no loopback host, no cleartext optional host, sources without node_modules`);
