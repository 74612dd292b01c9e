// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { actionFor, canBlock, refusal, stepsTo, type StatusAction } from '@/lib/roles';
import type { ContactStatus } from '@/lib/platforms/types';

describe('who may do what (the seeds: only Admin/Owner/Manager block; anyone archives)', () => {
  test.each(['owner', 'admin', 'manager'] as const)('%s may block and unblock', (role) => {
    expect(canBlock(role)).toBe(true);
    expect(refusal(role, 'active', 'block')).toBeNull();
    expect(refusal(role, 'blocked', 'unblock')).toBeNull();
  });

  test('an agent may not block or unblock, and is told why', () => {
    expect(refusal('agent', 'active', 'block')).toBe('reason_admin_only');
    expect(refusal('agent', 'blocked', 'unblock')).toBe('reason_admin_only');
  });

  test('anyone may archive and unarchive', () => {
    expect(refusal('agent', 'active', 'archive')).toBeNull();
    expect(refusal('agent', 'archived', 'unarchive')).toBeNull();
  });

  test('archiving a blocked contact is refused (it would unblock them)', () => {
    expect(refusal('agent', 'blocked', 'archive')).toBe('reason_blocked_cannot_archive');
    expect(refusal('admin', 'blocked', 'archive')).toBe('reason_blocked_cannot_archive');
  });

  test('actions that do nothing are refused', () => {
    expect(refusal('admin', 'blocked', 'block')).toBe('reason_already_blocked');
    expect(refusal('admin', 'active', 'unblock')).toBe('reason_not_blocked');
    expect(refusal('admin', 'archived', 'archive')).toBe('reason_already_archived');
    expect(refusal('admin', 'active', 'unarchive')).toBe('reason_not_archived');
  });

  test('the action between two statuses', () => {
    expect(actionFor('active', 'blocked')).toBe('block');
    expect(actionFor('blocked', 'active')).toBe('unblock');
    expect(actionFor('archived', 'active')).toBe('unarchive');
    expect(actionFor('active', 'archived')).toBe('archive');
    expect(actionFor('active', 'active')).toBeNull();
  });

  test('the way back (Undo): every step allowed from where the one before leaves the contact; blocked → archived is unblock, then archive', () => {
    const statuses: ContactStatus[] = ['active', 'archived', 'blocked'];
    const after: Record<StatusAction, ContactStatus> = { block: 'blocked', unblock: 'active', archive: 'archived', unarchive: 'active' };
    for (const from of statuses) {
      for (const to of statuses) {
        let at = from;
        for (const step of stepsTo(from, to)) {
          expect(refusal('admin', at, step), `${from} → ${to}: ${step}`).toBeNull();
          at = after[step];
        }
        expect(at).toBe(to);
      }
    }
    expect(stepsTo('blocked', 'archived')).toEqual(['unblock', 'archive']);
    expect(stepsTo('active', 'active')).toEqual([]);
  });
});
