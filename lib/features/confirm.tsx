/**
 * Feature: the confirmation every action goes through, wherever it was asked for (the action
 * bar, the context menu, a keyboard shortcut). One dialog in its own shadow root at the end of
 * the page; focus trapped, Escape cancels, focus returns to where it was.
 */
import { render } from 'preact';
import buttonCss from '@/components/Button/Button.css?inline';
import { ConfirmDialog } from '@/components/ConfirmDialog/ConfirmDialog';
import dialogCss from '@/components/ConfirmDialog/ConfirmDialog.css?inline';
import { mountShadow } from '../dom';
import { t } from '../i18n';
import { useStore } from '../ui/store';
import { actionLabels, confirmations } from './labels';
import type { Feature, FeatureContext } from './types';

export const DIALOG_TAG = 'inbox-guard-dialog';

function Confirmation({ ctx }: { ctx: FeatureContext }) {
  const { confirm } = useStore(ctx.store);
  if (!confirm) return null;
  const { action, target } = confirm;
  return (
    <ConfirmDialog
      key={`${action}:${target.contactId}`}
      title={t(confirmations[action].title, target.name)}
      body={t(confirmations[action].body, target.name)}
      confirmLabel={t(actionLabels[action].button)}
      cancelLabel={t('confirm_cancel')}
      destructive={action === 'block'}
      testId="ig-confirm"
      onCancel={() => ctx.store.set({ confirm: null })}
      onConfirm={() => {
        ctx.store.set({ confirm: null });
        void ctx.run(action, target);
      }}
    />
  );
}

export const confirm: Feature = {
  id: 'confirm',
  scope: 'page',
  init(ctx, signal) {
    const { container } = mountShadow(
      ctx.document,
      DIALOG_TAG,
      `:host{all:initial}\n${buttonCss}\n${dialogCss}`,
      (host) => ctx.document.documentElement.append(host),
      signal,
    );
    render(<Confirmation ctx={ctx} />, container);
    signal.addEventListener('abort', () => render(null, container), { once: true });
  },
};
