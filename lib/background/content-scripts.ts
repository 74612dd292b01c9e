/**
 * The content script on a self-hosted inbox: the manifest registers it for the platforms'
 * cloud hosts; for any other inbox origin it is registered at run time, and only while the
 * user's host permission for that origin stands (as uBlock Origin Lite does from granted
 * permissions). A revoked permission unregisters it: the overlay simply stops appearing.
 */
import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { inboxOrigin, matchPattern, type Settings } from '../settings';

export const DYNAMIC_SCRIPT_ID = 'inbox-guard-self-hosted';
const SCRIPT_FILE = 'content-scripts/inbox.js';

export type ContentScriptState = 'none' | 'manifest' | 'registered' | 'permission_missing';

function manifestMatches(): string[] {
  return browser.runtime.getManifest().content_scripts?.flatMap((script) => script.matches ?? []) ?? [];
}

export async function syncContentScripts(settings: Settings | null): Promise<ContentScriptState> {
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [DYNAMIC_SCRIPT_ID] });
  const unregister = async () => {
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [DYNAMIC_SCRIPT_ID] });
  };
  if (!settings) {
    await unregister();
    return 'none';
  }
  const origin = inboxOrigin(settings);
  if (manifestMatches().some((pattern) => new MatchPattern(pattern).includes(`${origin}/`))) {
    await unregister();
    return 'manifest';
  }
  const pattern = matchPattern(origin);
  if (!(await browser.permissions.contains({ origins: [pattern] }))) {
    await unregister();
    return 'permission_missing';
  }
  const script = {
    id: DYNAMIC_SCRIPT_ID,
    matches: [pattern],
    js: [SCRIPT_FILE],
    runAt: 'document_start' as const,
    allFrames: false,
    persistAcrossSessions: true,
  };
  if (registered.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return 'registered';
}
