// @vitest-environment node
// The reference inbox's model on its own: id styles, determinism, the seed, events and phone formats.
import { describe, expect, it } from 'vitest';
import { Model } from '../../reference-inbox/model.ts';
import { helenaRaw, internationalFormat, nationalFormat } from '../../reference-inbox/phone.ts';

describe('reference inbox model', () => {
  it('gives Helena-style uuid v4 ids and Chatwoot-style integer ids', () => {
    const helena = new Model('helena');
    const chatwoot = new Model('chatwoot');
    for (const c of helena.listContacts()) expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chatwoot.listContacts().map((c) => c.id)).toEqual(chatwoot.listContacts().map((_, i) => i + 1));
    expect(chatwoot.account.id).toBe(1);
  });

  it('is deterministic: two instances of a style hand out the same ids', () => {
    expect(new Model('helena').listContacts().map((c) => c.id)).toEqual(new Model('helena').listContacts().map((c) => c.id));
  });

  it('seeds 8 customers, 3 spammers, one archived and one blocked contact', () => {
    const model = new Model('helena');
    const contacts = model.listContacts();
    expect(contacts.filter((c) => c.status === 'active')).toHaveLength(11);
    expect(contacts.filter((c) => c.status === 'archived').map((c) => c.name)).toEqual(['Renata Campos']);
    expect(contacts.filter((c) => c.status === 'blocked').map((c) => c.name)).toEqual(['Empréstimo Fácil']);
    expect(model.spammerIds).toHaveLength(3);
    for (const c of contacts) {
      const conv = model.latestConversation(c.id);
      expect(conv?.status).toBe(c.status === 'active' ? 'open' : 'resolved');
      expect(model.messagesOf(conv!.id).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('emits events for a message and the contact it updates', () => {
    const model = new Model('chatwoot');
    const events: string[] = [];
    model.subscribe((e) => events.push(e.type));
    const before = Math.floor(Date.now() / 1000);
    const [first] = model.listContacts();
    model.incoming({ contactId: first!.id, text: 'hello' });
    expect(events).toEqual(['contact', 'message']);
    expect(model.contact(first!.id)!.lastActivityAt).toBeGreaterThanOrEqual(before);
  });

  it('formats phones the way each surface shows them', () => {
    expect(helenaRaw('+5511987654321')).toBe('+55|11987654321');
    expect(nationalFormat('+5511987654321')).toBe('(11) 98765-4321');
    expect(nationalFormat('+33612345678')).toBe('06 12 34 56 78');
    expect(internationalFormat('+5511987654321')).toBe('+55 11 98765-4321');
    expect(internationalFormat('+33612345678')).toBe('+33 6 12 34 56 78');
  });
});
