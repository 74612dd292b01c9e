import { useEffect, useRef, useState } from 'preact/hooks';
import { usePopover } from '@/lib/ui/popover';

export interface MenuItem {
  id: string;
  label: string;
  /** Why it cannot be chosen now; the item stays listed, disabled, with the reason under it. */
  reason?: string;
  /** An item that only informs (no action). */
  info?: boolean;
  /** For a toggle (reveal hidden messages): its state. */
  checked?: boolean;
  danger?: boolean;
  onSelect?(): void;
}

export interface Props {
  /** What the button says to a screen reader (the visible content is `children`). */
  label: string;
  items: MenuItem[];
  /** What the button shows: the status badge, in the compact bar. */
  children?: preact.ComponentChildren;
  testId?: string;
}

/**
 * The compact action bar's menu (WAI-ARIA menu button), next to the status badge: its menu
 * lists the bar's actions with the same reasons for those the role does not allow. Arrow keys,
 * Home and End move, Enter or Space chooses, Escape and Tab close it, focus goes back to the
 * button. It is shown in the top layer under the button (lib/ui/popover.ts), so nothing of the
 * host page clips or covers it and the page's layout never moves.
 */
export function ActionMenu({ label, items, children, testId = 'ig-action-bar-menu' }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  usePopover(menu, button, open);

  const entries = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    entries()[0]?.focus();
    // A press anywhere outside the menu closes it (events from inside our shadow root are ours).
    const outside = (event: Event) => {
      const path = event.composedPath();
      if (!path.includes(menu.current!) && !path.includes(button.current!)) setOpen(false);
    };
    const doc = button.current!.ownerDocument;
    doc.addEventListener('pointerdown', outside, true);
    return () => doc.removeEventListener('pointerdown', outside, true);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    const all = entries();
    const at = all.indexOf(event.target as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Tab') close(false);
  };

  /** Escape closes the menu wherever the focus is in it (the button included, before the items get it). */
  const onEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault();
    event.stopPropagation();
    close(true);
  };

  const choose = (item: MenuItem) => {
    if (item.reason || item.info || !item.onSelect) return;
    close(true);
    item.onSelect();
  };

  return (
    <span class="ig-menu" onKeyDown={onEscape}>
      <button
        ref={button}
        type="button"
        class="ig-menu__button"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-label={label}
        data-testid={testId}
        data-fit-focus=""
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {children}
        <span class="ig-menu__chevron" aria-hidden="true" />
      </button>
      {open && (
        <div ref={menu} popover="manual" class="ig-menu__list" role="menu" aria-label={label} data-testid={`${testId}-list`} onKeyDown={onKeyDown}>
          {items.map((item) => {
            const reasonId = `${testId}-${item.id}-reason`;
            return (
              <div
                key={item.id}
                role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                tabIndex={-1}
                class={`ig-menu__item${item.danger ? ' ig-menu__item--danger' : ''}${item.info ? ' ig-menu__item--info' : ''}`}
                aria-disabled={item.reason || item.info ? 'true' : undefined}
                aria-checked={item.checked === undefined ? undefined : item.checked ? 'true' : 'false'}
                aria-describedby={item.reason ? reasonId : undefined}
                data-testid={`${testId}-${item.id}`}
                onClick={() => choose(item)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    choose(item);
                  }
                }}
              >
                <span class="ig-menu__label">{item.label}</span>
                {item.reason && (
                  <span id={reasonId} class="ig-menu__reason">
                    {item.reason}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      )}
    </span>
  );
}
