/**
 * A page profile says how to read one platform's inbox page: which conversation is open,
 * where the conversation header is, and what a message row looks like. Features
 * (lib/features/) only read the page through the profile, so a platform's markup lives in one
 * file per platform (lib/platforms/<name>/page.ts).
 */
export interface MessageInfo {
  id?: string;
  direction: 'incoming' | 'outgoing';
  /** When it was sent (ms since the epoch), if the page shows it. */
  at?: number;
}

export interface PageProfile {
  id: string;
  /** The open conversation's id, from the address (all three platforms put it there). */
  conversationId(url: URL): string | null;
  /** The element after which the action bar is mounted in the conversation header. */
  headerAnchor(root: ParentNode): Element | null;
  /** The element that holds the open conversation's messages. */
  thread(root: ParentNode): Element | null;
  /** Whether a node is one message row. Called on every added node: keep it a `matches`. */
  isMessage(node: Element): boolean;
  readMessage(node: Element): MessageInfo | null;
}
