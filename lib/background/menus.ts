/**
 * The context menu on inbox pages: Block / Unblock / Archive / Unarchive for what was
 * right-clicked (a conversation row, a message, the header), labelled for that contact's
 * status and shown disabled when the role does not allow it; and "Block …" for a selected
 * phone number or e-mail, looked up on the platform (disabled too for a role that may not block).
 *
 * The content script reports what the pointer is on as the right button goes down
 * (`menu.target`), so the items are updated before the menu opens. A click never acts
 * directly: it asks the page to show the same confirmation as the action bar.
 */
import { browser } from 'wxt/browser';
import { t, type MessageKey } from '../i18n';
import type { ContactStatus, Role } from '../platforms/types';
import { canBlock, type StatusAction } from '../roles';

export const MENU_ROOT = 'inbox-guard';
export const SELECTION_ITEM = 'inbox-guard-selection';
const ACTIONS: StatusAction[] = ['block', 'unblock', 'archive', 'unarchive'];
const itemId = (action: StatusAction) => `inbox-guard-${action}`;
const titles: Record<StatusAction, MessageKey> = {
  block: 'menu_block',
  unblock: 'menu_unblock',
  archive: 'menu_archive',
  unarchive: 'menu_unarchive',
};

export function actionOfItem(menuItemId: string | number): StatusAction | null {
  return ACTIONS.find((action) => itemId(action) === menuItemId) ?? null;
}

/** (Re)creates the menu for these inbox pages; called at every start (menus do not persist everywhere). */
export async function createMenus(documentUrlPatterns: string[]): Promise<void> {
  const menus = browser.contextMenus;
  await menus.removeAll();
  if (documentUrlPatterns.length === 0) return;
  const create = (properties: Parameters<typeof menus.create>[0]) =>
    new Promise<void>((resolve) => {
      menus.create(properties, () => {
        void browser.runtime.lastError;
        resolve();
      });
    });
  await create({ id: MENU_ROOT, title: t('menu_root'), contexts: ['page', 'link', 'selection'], documentUrlPatterns });
  for (const action of ACTIONS) {
    await create({ id: itemId(action), parentId: MENU_ROOT, title: t(titles[action]), contexts: ['page', 'link'], documentUrlPatterns, visible: false });
  }
  await create({ id: SELECTION_ITEM, parentId: MENU_ROOT, title: t('menu_block_selection'), contexts: ['selection'], documentUrlPatterns });
}

/**
 * Shows the items that apply to a contact with `status` (none without one), enabled for what
 * `role` may do; the selection item too (blocking or unblocking whoever the text names), once
 * the role is known.
 */
export async function labelMenus(target: { status?: ContactStatus; role: Role } | null): Promise<void> {
  const update = async (id: string, properties: { visible?: boolean; enabled: boolean }) => {
    try {
      await browser.contextMenus.update(id, properties);
    } catch {
      // Menus not created (not configured yet).
    }
  };
  for (const action of ACTIONS) {
    const applies =
      target?.status !== undefined &&
      (action === 'block'
        ? target.status !== 'blocked'
        : action === 'unblock'
          ? target.status === 'blocked'
          : action === 'archive'
            ? target.status === 'active'
            : target.status === 'archived');
    const allowed = target !== null && (action === 'archive' || action === 'unarchive' || canBlock(target.role));
    await update(itemId(action), { visible: applies, enabled: allowed });
  }
  await update(SELECTION_ITEM, { enabled: target === null || canBlock(target.role) });
}
