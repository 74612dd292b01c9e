/** The page profile for the configured platform (one per platform folder). */
import type { Session } from '../messaging';
import type { PageProfile } from './page';
import { referencePage } from './reference/page';

export function profileFor(session: Session): PageProfile | null {
  switch (session.platform) {
    case 'reference':
      return referencePage;
    default:
      // Chatwoot and Helena page profiles come with the overlay work (issue 4).
      return null;
  }
}
