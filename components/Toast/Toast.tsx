export interface Props {
  kind: 'info' | 'error';
  text: string;
  actionLabel: string;
  onAction(): void;
  /** Called with true while the toast holds the focus or the pointer, false when it lets go. */
  onHold?(held: boolean): void;
  testId?: string;
}

/**
 * A toast at the bottom of the page: a live region (polite for news, assertive for errors)
 * with one button. It never takes the focus away from where the user is typing; while it has
 * the focus or the pointer it tells its owner (`onHold`), who keeps it up (WCAG 2.2.1: a user
 * who tabs or moves to the button is not timed out).
 */
export function Toast({ kind, text, actionLabel, onAction, onHold, testId = 'ig-toast' }: Props) {
  return (
    <div
      class={`ig-toast ig-toast--${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      onFocusIn={() => onHold?.(true)}
      onFocusOut={(event) => {
        if (!(event.currentTarget as HTMLElement).contains(event.relatedTarget as Node | null)) onHold?.(false);
      }}
      onMouseEnter={() => onHold?.(true)}
      onMouseLeave={(event) => {
        if (!(event.currentTarget as HTMLElement).contains((event.currentTarget.getRootNode() as ShadowRoot | Document).activeElement)) onHold?.(false);
      }}
    >
      <span class="ig-toast__text">{text}</span>
      <button type="button" class="ig-button ig-toast__action" onClick={onAction} data-testid={`${testId}-action`}>
        {actionLabel}
      </button>
    </div>
  );
}
