import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { API_HOSTS, LOOPBACK_CONTENT_MATCHES, LOOPBACK_MATCHES, OPTIONAL_HOSTS } from './lib/hosts';
import { parsingMetadata } from './lib/phone-metadata';

/** Serves libphonenumber-js's metadata without the formatting rules nothing here uses. */
function phoneMetadata(): Plugin {
  return {
    name: 'inbox-guard:phone-metadata',
    enforce: 'pre',
    load(id) {
      // The package's ES entry is metadata.min.json.js (`export default {…}`); read the JSON.
      const path = id.replace(/\\/g, '/').replace(/\?.*$/, '');
      if (!/libphonenumber-js\/metadata\.min\.json(\.js)?$/.test(path)) return null;
      const json = readFileSync(path.replace(/\.js$/, ''), 'utf8');
      return `export default ${JSON.stringify(parsingMetadata(JSON.parse(json)))};`;
    },
  };
}

// Build modes: `production` (store packages) and `e2e` (tests and the demo: the same
// extension, plus loopback host permissions so it can reach the reference inbox without a
// permission prompt a headless browser cannot answer; the content script is declared for
// 127.0.0.1 only, so an inbox on localhost goes through the run-time registration that
// self-hosted servers get).
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  webExt: { disabled: true },
  vite: () => ({
    plugins: [preact(), phoneMetadata()],
    build: {
      // IG_SOURCEMAP=1 for a bundle-size breakdown (never in store packages).
      sourcemap: Boolean(process.env.IG_SOURCEMAP),
      rollupOptions: {
        // zod's sources carry /* @__PURE__ */ notes Rollup cannot place; harmless, and noisy.
        onLog(level, log, handler) {
          if (log.code !== 'INVALID_ANNOTATION') handler(level, log);
        },
      },
    },
  }),
  manifest: ({ mode, browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'scripting', 'contextMenus'],
    action: { default_title: '__MSG_extName__' },
    commands: {
      'toggle-block': { suggested_key: { default: 'Alt+Shift+B' }, description: '__MSG_command_toggle_block__' },
      'toggle-archive': { suggested_key: { default: 'Alt+Shift+A' }, description: '__MSG_command_toggle_archive__' },
    },
    host_permissions: mode === 'e2e' ? [...API_HOSTS, ...LOOPBACK_MATCHES] : API_HOSTS,
    // No http://*/*: a cleartext server is accepted on loopback only (lib/settings.ts).
    optional_host_permissions: OPTIONAL_HOSTS,
    // What an organisation's policy may set (storage.managed, lib/policy.ts). Chrome only:
    // Firefox takes the values from policies.json without a schema.
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        // 140 / 142: the first Firefox / Firefox for Android that read
        // `data_collection_permissions` (web-ext lint warns on anything lower).
        gecko: {
          id: 'inbox-guard@inbox-guard.dev',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
  // `npm run zip`: the store packages in .output/ (Chrome, Firefox) and, for Firefox Add-ons'
  // review, the sources a reviewer needs to rebuild the Firefox package with
  // `npm ci && npm run build:firefox` — nothing else (no tests, outputs, screenshots).
  zip: {
    includeSources: [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'README.md',
      'CHANGELOG.md',
      'lib/**',
      'components/**',
      'entrypoints/**',
      'public/**',
    ],
    excludeSources: ['**/node_modules/**', '.output/**', 'test-results/**', 'bench-output/**', 'demo-output/**', 'docs/**', 'tests/**'],
  },
  hooks: {
    // The content script runs on every inbox page and has a size budget: it uses the browser's
    // own promise-based API (Chrome MV3 and Firefox both have one for what it calls) instead of
    // webextension-polyfill, which the background and the pages keep.
    'vite:build:extendConfig'(entrypoints, config) {
      if (!entrypoints.every((entrypoint) => entrypoint.type === 'content-script')) return;
      const alias = config.resolve?.alias;
      if (Array.isArray(alias)) {
        config.resolve!.alias = alias.filter((entry) => entry.find !== 'wxt/browser');
      } else if (alias && typeof alias === 'object') {
        delete (alias as Record<string, string>)['wxt/browser'];
      }
    },
    'build:manifestGenerated'(wxt, manifest) {
      if (wxt.config.mode !== 'e2e') return;
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...new Set([...(script.matches ?? []), ...LOOPBACK_CONTENT_MATCHES])];
      }
    },
  },
});
