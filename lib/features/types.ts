/**
 * What a feature gets: the page profile, the open conversation, the overlay's store and the
 * two things a feature may ask the background for. Features never fetch, never see a token.
 */
import type { ErrorShape } from '../errors';
import type { ContactView, Session } from '../messaging';
import type { PageProfile } from '../platforms/page';
import type { StatusAction } from '../roles';
import type { Store } from '../ui/store';

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
}

export interface ConversationContext {
  profile: PageProfile;
  conversationId: string;
  store: Store<OverlayState>;
  document: Document;
  run(action: StatusAction): Promise<void>;
  /** Re-reads the contact from the platform (e.g. after they wrote: archived → active). */
  refresh(): Promise<void>;
}

export interface Feature {
  /** Also the file name in lib/features/. */
  id: string;
  /** Runs once per open conversation; everything it starts must stop when `signal` aborts. */
  init(ctx: ConversationContext, signal: AbortSignal): void | Promise<void>;
}
