/** The page profile for the configured platform (one per platform folder), with the admin's overrides. */
import type { Session } from '../messaging';
import { chatwootPage } from './chatwoot/page';
import { helenaPage } from './helena/page';
import type { PageProfile, ProfileFactory } from './page';
import { referencePage } from './reference/page';

const factories: Record<NonNullable<Session['platform']>, ProfileFactory> = {
  reference: referencePage,
  chatwoot: chatwootPage,
  helena: helenaPage,
};

/**
 * Before the session is known (document start): the incoming-message selectors of every
 * platform whose conversation address this is ('' for none), with their default selectors.
 */
export function incomingAt(url: URL): string {
  return Object.values(factories)
    .map((factory) => factory())
    .filter((profile) => profile.conversationId(url))
    .map((profile) => profile.selectors.incoming)
    .join(', ');
}

export function profileFor(session: Session): PageProfile | null {
  const factory = session.platform ? factories[session.platform] : undefined;
  return factory ? factory(session.selectors) : null;
}
