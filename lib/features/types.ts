/**
 * What a feature gets: the page profile, the overlay's store, and the few things a feature may
 * ask for (confirm an action, send one, re-read the contact). Features never fetch and never
 * see a token; the background does that.
 *
 * Two kinds of features: `page` features run once per page (the conversation list, the
 * context menu, dialogs and toasts); `conversation` features run for each open conversation
 * and stop when the user opens another.
 */
import type { ErrorShape } from '../errors';
import type { ContactView, InboxEvent, Session } from '../messaging';
import type { PageProfile } from '../platforms/page';
import type { ContactStatus } from '../platforms/types';
import type { StatusAction } from '../roles';
import type { Store } from '../ui/store';

/** Whom an action is for, when it is not the open conversation's contact (a row, a selection). */
export interface Target {
  contactId: string;
  name: string;
  conversationId?: string;
  status?: ContactStatus;
}

export interface OverlayState {
  session: Session;
  conversationId: string | null;
  contact: ContactView | null;
  loading: boolean;
  error: ErrorShape | null;
  /** The action being sent, while it is. */
  pending: StatusAction | null;
  /** The last action that went through, for the live region. */
  done: StatusAction | null;
  /** Messages of the open conversation hidden because they came after a block. */
  hiddenCount: number;
  /** An admin shows the hidden messages (moderation). */
  reveal: boolean;
  /** An action waiting for the user's confirmation. */
  confirm: { action: StatusAction; target: Target } | null;
  /**
   * For a few seconds after an action: what Undo would do to restore the status before it
   * (`andThen`: a second step, blocked back to archived is unblock then archive).
   */
  undo: { action: StatusAction; andThen?: StatusAction; target: Target; done: StatusAction; at: number } | null;
  /** Something to tell the user that belongs to no contact on screen (a failed lookup). */
  notice: ErrorShape | null;
}

export interface FeatureContext {
  profile: PageProfile;
  store: Store<OverlayState>;
  document: Document;
  /** Asks the user to confirm `action`, for the open conversation's contact unless `target`. */
  request(action: StatusAction, target?: Target): void;
  /** Sends an action the user confirmed (or undid; `andThen` right after it, as one change). */
  run(action: StatusAction, target?: Target, options?: { undo?: boolean; andThen?: StatusAction }): Promise<void>;
  /** Re-reads the open conversation's contact from the platform. */
  refresh(): Promise<void>;
  /** Every event the background pushes to this tab. */
  onEvent(listener: (event: InboxEvent) => void, signal: AbortSignal): void;
  /** After each batch of the page's DOM changes (the manager's one page-wide observer), with its records. */
  onDomChange?(callback: (records: MutationRecord[]) => void, signal: AbortSignal): void;
  /**
   * What this page has learned of conversations' contacts (conversation id → status: the open
   * ones, the list's rows): opening one whose contact is known not blocked holds nothing back.
   */
  statuses?: Map<string, ContactStatus>;
}

export interface ConversationContext extends FeatureContext {
  conversationId: string;
}

export type Feature =
  | { id: string; scope: 'page'; init(ctx: FeatureContext, signal: AbortSignal): void | Promise<void> }
  | { id: string; scope: 'conversation'; init(ctx: ConversationContext, signal: AbortSignal): void | Promise<void> };
