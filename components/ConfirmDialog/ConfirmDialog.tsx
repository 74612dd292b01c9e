import { useLayoutEffect, useRef } from 'preact/hooks';

export interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Red confirm button, and the first focus goes to Cancel. */
  destructive?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The focused element, looking into shadow roots (the button that asked may live in one). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

/**
 * A modal confirmation: a <dialog> over a backdrop that takes the clicks; focus stays inside
 * (Tab and Shift+Tab wrap), Escape cancels, and focus goes back to where it was when it closes.
 *
 * It is opened with `show()` and its own backdrop, not `showModal()`: entering the top layer
 * makes the browser recompute the style of the whole page, which on a big inbox (thousands of
 * rows) freezes it for hundreds of milliseconds, twice per action.
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  cancelLabel,
  destructive = false,
  onConfirm,
  onCancel,
  testId = 'ig-confirm',
}: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  // Before paint: the dialog never shows without the focus in it.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = deepActiveElement();
    if (typeof element.show === 'function' && !element.open) element.show();
    (destructive ? cancelButton : confirmButton).current?.focus();
    return () => {
      if (element.open) element.close();
      previous?.focus();
    };
  }, [destructive]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const root = dialog.current.getRootNode() as Document | ShadowRoot;
    const active = root.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      class="ig-backdrop"
      data-testid={`${testId}-backdrop`}
      // A click outside the dialog does nothing (and keeps the focus in it).
      onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}
    >
      <dialog
        ref={dialog}
        class="ig-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${testId}-title`}
        aria-describedby={`${testId}-body`}
        data-testid={testId}
        onKeyDown={onKeyDown}
      >
        <h2 class="ig-dialog__title" id={`${testId}-title`}>
          {title}
        </h2>
        <p class="ig-dialog__body" id={`${testId}-body`}>
          {body}
        </p>
        <div class="ig-dialog__actions">
          <button ref={cancelButton} type="button" class="ig-button" onClick={onCancel} data-testid={`${testId}-cancel`}>
            {cancelLabel}
          </button>
          <button
            ref={confirmButton}
            type="button"
            class={`ig-button ig-button--primary${destructive ? ' ig-button--danger' : ''}`}
            onClick={onConfirm}
            data-testid={`${testId}-confirm`}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </div>
  );
}
