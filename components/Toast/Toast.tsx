export interface Props {
  kind: 'info' | 'error';
  text: string;
  actionLabel: string;
  onAction(): void;
  testId?: string;
}

/**
 * A toast at the bottom of the page: a live region (polite for news, assertive for errors)
 * with one button. It never takes the focus away from where the user is typing.
 */
export function Toast({ kind, text, actionLabel, onAction, testId = 'ig-toast' }: Props) {
  return (
    <div class={`ig-toast ig-toast--${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <span class="ig-toast__text">{text}</span>
      <button type="button" class="ig-button ig-toast__action" onClick={onAction} data-testid={`${testId}-action`}>
        {actionLabel}
      </button>
    </div>
  );
}
