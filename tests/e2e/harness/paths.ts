import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = process.cwd();
export const CHROME_EXTENSION = join(ROOT, '.output', 'chrome-mv3-e2e');
export const FIREFOX_EXTENSION = join(ROOT, '.output', 'firefox-mv3-e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function requireBuild(dir: string): string {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`No extension build in ${dir}: run \`npm run build:e2e\` first.`);
  }
  return dir;
}
