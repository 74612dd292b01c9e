/**
 * The Undo toast says what the contact's status is now ("Maria Silva is archived."): it goes as
 * soon as that is no longer true (she wrote back and is Active again, or someone changed her
 * elsewhere), whether she is the open conversation's contact or not.
 */
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { TOAST_TAG, undoToast } from '@/lib/features/undo-toast';
import type { ContactView } from '@/lib/messaging';
import type { ContactStatus } from '@/lib/platforms/types';
import { featureContext, shadowOf } from '../helpers/overlay';

let controller: AbortController;
beforeEach(() => (controller = new AbortController()));
afterEach(() => controller.abort());

const maria = (status: ContactStatus): ContactView => ({ id: 'k2', name: 'Maria Silva', status, confirmed: status, statusSince: 0 });
const toast = () => shadowOf(TOAST_TAG)?.querySelector('[data-testid="ig-undo"]')?.textContent ?? null;

function archivedToast(open: ContactView | null) {
  const made = featureContext({ contact: open });
  act(() => void undoToast.init(made.ctx, controller.signal));
  act(() => made.store.set({ undo: { action: 'unarchive', target: { contactId: 'k2', name: 'Maria Silva', status: 'archived' }, done: 'archive', at: Date.now() } }));
  expect(toast()).toContain('Maria Silva is archived.');
  return made;
}

test('the open contact writes back and turns Active: the toast goes at once', () => {
  const { store } = archivedToast(maria('archived'));
  act(() => store.set({ hiddenCount: 0 }));
  expect(toast()).toContain('Maria Silva is archived.');
  act(() => store.set({ contact: maria('active') }));
  expect(store.get().undo).toBeNull();
  expect(toast()).toBeNull();
});

test('a contact of another conversation (a row, a selection) changes on the platform: the toast goes too', () => {
  const { store, emit } = archivedToast(null);
  act(() => emit({ type: 'contact.changed', contact: { ...maria('archived'), id: 'k9', name: 'Someone else' } }));
  expect(toast()).toContain('Maria Silva is archived.');
  act(() => emit({ type: 'contact.changed', contact: maria('blocked') }));
  expect(store.get().undo).toBeNull();
});
