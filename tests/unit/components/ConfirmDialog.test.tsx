import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, test, vi } from 'vitest';
import { ConfirmDialog } from '@/components/ConfirmDialog/ConfirmDialog';

function setup(destructive: boolean) {
  const container = document.createElement('div');
  document.body.append(container);
  const opener = document.createElement('button');
  opener.textContent = 'open';
  document.body.append(opener);
  opener.focus();
  const onCancel = vi.fn();
  const onConfirm = vi.fn();
  const show = (open: boolean) =>
    act(() =>
      render(
        open ? (
          <ConfirmDialog
            title="Block Ana?"
            body="body"
            confirmLabel="Block"
            cancelLabel="Cancel"
            destructive={destructive}
            onCancel={onCancel}
            onConfirm={onConfirm}
          />
        ) : null,
        container,
      ),
    );
  return { container, opener, onCancel, onConfirm, show };
}

test('focus starts on Cancel for a destructive action, stays inside on Tab, and returns on close', () => {
  const { container, opener, show } = setup(true);
  show(true);
  const [cancel, confirm] = [...container.querySelectorAll('button')];
  expect(document.activeElement).toBe(cancel);
  const dialog = container.querySelector('dialog')!;

  confirm!.focus();
  const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
  act(() => void dialog.dispatchEvent(tab));
  expect(tab.defaultPrevented).toBe(true);
  expect(document.activeElement).toBe(cancel);

  const shiftTab = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true });
  act(() => void dialog.dispatchEvent(shiftTab));
  expect(document.activeElement).toBe(confirm);

  show(false);
  expect(document.activeElement).toBe(opener);
});

test('the dialog is labelled by its title and described by its text', () => {
  const { container, show } = setup(false);
  show(true);
  const dialog = container.querySelector('dialog')!;
  expect(dialog.getAttribute('aria-modal')).toBe('true');
  expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Block Ana?');
  expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe('body');
  expect(document.activeElement?.textContent).toBe('Block');
});
