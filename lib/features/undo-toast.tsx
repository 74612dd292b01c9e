/**
 * Feature: for five seconds after an action, a toast says what was done and offers Undo, which
 * restores the previous status (through the outbox, like any action); longer while the user is
 * on it (keyboard focus or pointer), and two seconds more once they leave. The same place shows
 * notices that belong to no contact on screen (a phone number that matches nobody).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import buttonCss from '@/components/Button/Button.css?inline';
import toastCss from '@/components/Toast/Toast.css?inline';
import { Toast } from '@/components/Toast/Toast';
import { mountShadow } from '../dom';
import { errorMessage } from '../errors';
import { t } from '../i18n';
import { useStore } from '../ui/store';
import { actionLabels } from './labels';
import type { Feature, FeatureContext } from './types';

export const TOAST_TAG = 'inbox-guard-toast';
export const UNDO_MS = 5_000;
/** After the focus or the pointer leaves the toast, it stays at least this long. */
export const UNDO_AFTER_HOLD_MS = 2_000;

function Toasts({ ctx }: { ctx: FeatureContext }) {
  const { undo, notice } = useStore(ctx.store);
  // While the user is on the toast (focus or pointer) Undo does not run out under them.
  const [held, setHeld] = useState(false);
  const [released, setReleased] = useState(0);

  // A new toast starts free (the last one may have gone while it had the focus: no focusout).
  useEffect(() => setHeld(false), [undo]);
  useEffect(() => {
    if (!undo || held) return;
    const until = Math.max(undo.at + UNDO_MS, released + UNDO_AFTER_HOLD_MS);
    const timer = setTimeout(() => {
      if (ctx.store.get().undo === undo) ctx.store.set({ undo: null });
    }, Math.max(0, until - Date.now()));
    return () => clearTimeout(timer);
  }, [undo, held, released]);

  const onHold = (hold: boolean) => {
    setHeld(hold);
    if (!hold) setReleased(Date.now());
  };

  if (notice) {
    return (
      <Toast
        kind="error"
        text={notice.code === 'not_found' && notice.detail ? t('notice_no_contact', notice.detail) : errorMessage(notice)}
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
        void ctx.run(undo.action, undo.target, { undo: true });
      }}
      onHold={onHold}
      testId="ig-undo"
    />
  );
}

export const undoToast: Feature = {
  id: 'undo-toast',
  scope: 'page',
  init(ctx, signal) {
    const { container } = mountShadow(ctx.document, TOAST_TAG, `${buttonCss}\n${toastCss}`, (host) => ctx.document.documentElement.append(host), signal);
    render(<Toasts ctx={ctx} />, container);
    signal.addEventListener('abort', () => render(null, container), { once: true });
  },
};
