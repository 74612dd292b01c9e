/**
 * Feature: for five seconds after an action, a toast says what was done and offers Undo, which
 * restores the previous status (through the outbox, like any action); longer while the user is
 * on it (keyboard focus or pointer: WCAG 2.2.1), until at most two seconds after they leave.
 * It goes as soon as the contact's status is no longer what it says (an archived contact who
 * writes back turns Active; someone blocks them elsewhere): Undo would restore from a state
 * that is gone. The same place shows notices that belong to no contact on screen (a phone
 * number that matches nobody).
 */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import buttonCss from '@/components/Button/Button.css?inline';
import toastCss from '@/components/Toast/Toast.css?inline';
import { Toast } from '@/components/Toast/Toast';
import { mountShadow } from '../dom';
import { errorMessage } from '../errors';
import { t } from '../i18n';
import type { ContactStatus } from '../platforms/types';
import { useStore } from '../ui/store';
import { actionLabels } from './labels';
import type { Feature, FeatureContext } from './types';

export const TOAST_TAG = 'inbox-guard-toast';
export const UNDO_MS = 5_000;
/** While the user is on the toast, how often it looks again whether they left. */
export const UNDO_AFTER_HOLD_MS = 2_000;

function Toasts({ ctx, container }: { ctx: FeatureContext; container: HTMLElement }) {
  const { undo, notice } = useStore(ctx.store);

  useEffect(() => {
    if (!undo) return;
    let timer: ReturnType<typeof setTimeout>;
    const expire = () => {
      if (ctx.store.get().undo !== undo) return;
      // Not from under a user who is on it (keyboard focus or pointer): look again later.
      if (container.matches(':hover') || container.contains((container.getRootNode() as ShadowRoot).activeElement)) timer = setTimeout(expire, UNDO_AFTER_HOLD_MS);
      else ctx.store.set({ undo: null });
    };
    timer = setTimeout(expire, Math.max(0, undo.at + UNDO_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [undo]);

  if (notice) {
    return (
      <Toast
        kind="error"
        text={
          notice.code === 'not_found' && notice.detail
            ? t('notice_no_contact', notice.detail)
            : notice.code === 'ambiguous'
              ? t('notice_ambiguous', notice.detail ?? '')
              : errorMessage(notice)
        }
        actionLabel={t('bar_dismiss')}
        onAction={() => ctx.store.set({ notice: null })}
        testId="ig-notice"
      />
    );
  }
  if (!undo) return null;
  return (
    <Toast
      kind="info"
      text={t(actionLabels[undo.done].done, undo.target.name)}
      actionLabel={t('undo')}
      onAction={() => {
        ctx.store.set({ undo: null });
        void ctx.run(undo.action, undo.target, { undo: true, ...(undo.andThen ? { andThen: undo.andThen } : {}) });
      }}
      testId="ig-undo"
    />
  );
}

export const undoToast: Feature = {
  id: 'undo-toast',
  scope: 'page',
  init(ctx, signal) {
    const { container } = mountShadow(ctx.document, TOAST_TAG, `${buttonCss}\n${toastCss}`, (host) => ctx.document.documentElement.append(host), signal);
    render(<Toasts ctx={ctx} container={container} />, container);
    // The open contact (the store) or any other one (the background's event) moved on.
    const outdated = (contactId: string, status: ContactStatus) => {
      const { undo } = ctx.store.get();
      if (undo && undo.target.contactId === contactId && undo.target.status !== undefined && status !== undo.target.status) ctx.store.set({ undo: null });
    };
    const unsubscribe = ctx.store.subscribe(({ contact }) => {
      if (contact) outdated(contact.id, contact.status);
    });
    ctx.onEvent((event) => {
      if (event.type === 'contact.changed') outdated(event.contact.id, event.contact.status);
    }, signal);
    signal.addEventListener(
      'abort',
      () => {
        unsubscribe();
        render(null, container);
      },
      { once: true },
    );
  },
};
