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

export function profileFor(session: Session): PageProfile | null {
  const factory = session.platform ? factories[session.platform] : undefined;
  return factory ? factory(session.selectors) : null;
}
