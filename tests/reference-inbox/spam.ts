/**
 * The spammers who "keep writing": every interval, the next seeded spammer (round robin) sends
 * a new incoming message through Model.incoming, the same path as `POST /__control/incoming`,
 * so a blocked spammer is dropped (Helena) or lands on a resolved conversation (Chatwoot).
 * server.ts owns one ticker per instance; controls.ts starts/stops it (`POST /__control/spam`).
 */
import type { Model } from './model.ts';
import { SPAM_LINES } from './seed-data.ts';

export class SpamTicker {
  private timer: NodeJS.Timeout | null = null;
  private turn = 0;
  intervalMs = 0;

  constructor(private readonly model: Model) {}

  /** 0 stops the ticker. */
  start(intervalMs: number): void {
    this.stop();
    this.intervalMs = intervalMs;
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.intervalMs = 0;
  }

  /** One spammer writes once. */
  tick(): void {
    const ids = this.model.spammerIds;
    if (ids.length === 0) return;
    const contactId = ids[this.turn % ids.length];
    const text = SPAM_LINES[this.turn % SPAM_LINES.length] ?? 'Promo!';
    this.turn += 1;
    if (contactId === undefined || !this.model.contact(contactId)) return;
    this.model.incoming({ contactId, text });
  }
}
