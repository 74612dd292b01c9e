import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Panel } from '@/components/Panel/Panel';
import { IgError } from '@/lib/errors';
import type { ContactRow, JobView, MessageType, PanelState, RequestOf, ResponseOf } from '@/lib/page-messaging';
import type { PanelService } from '@/lib/panel/service';
import type { Role } from '@/lib/platforms/types';
import { useLocale } from '../helpers/i18n';

let container: HTMLElement;

afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

const contact = (status: 'blocked' | 'archived', n: number): ContactRow => ({
  id: `${status[0]}${n}`,
  name: `${status === 'blocked' ? 'Spammer' : 'Client'} ${n}`,
  phone: `+55119${String(n).padStart(8, '0')}`,
  status,
  confirmed: status,
  statusSince: Date.UTC(2026, 10, 1),
});

function panelState(role: Role, patch: Partial<PanelState> = {}): PanelState {
  return {
    session: { active: true, platform: 'reference', apiStyle: 'helena', role, roleSource: 'platform', userName: 'Ana Admin', accountId: '1' },
    accountName: 'Aurora',
    counts: { blocked: 3, archived: 2 },
    outbox: { queued: 0, failed: 0, paused: 0 },
    jobs: [],
    syncing: false,
    ...patch,
  };
}

const job = (patch: Partial<JobView> = {}): JobView => ({
  id: 'j1',
  kind: 'bulk',
  action: 'unblock',
  state: 'running',
  total: 10,
  done: 3,
  failed: 1,
  skipped: 0,
  createdAt: 0,
  estimateMs: 120_000,
  by: { userName: 'Ana Admin', role: 'admin' },
  ...patch,
});

type Handlers = { [T in MessageType]?: (payload: RequestOf<T>) => ResponseOf<T> | Promise<ResponseOf<T>> };

/** A fake background: the lists hold `sizes` contacts; `handlers` override any answer. */
function fakeAsk(role: Role, handlers: Handlers = {}, sizes = { blocked: 3, archived: 2 }) {
  const calls: { type: MessageType; payload: unknown }[] = [];
  const ask = vi.fn(async (type: MessageType, payload: unknown) => {
    calls.push({ type, payload });
    const handler = handlers[type] as ((p: unknown) => unknown) | undefined;
    if (handler) return handler(payload);
    switch (type) {
      case 'panel.state':
        return panelState(role, { counts: sizes });
      case 'contacts.list': {
        const { status, offset, limit, query } = payload as RequestOf<'contacts.list'>;
        const all = Array.from({ length: sizes[status] }, (_, i) => contact(status, i + 1)).filter(
          (row) => !query || row.name.toLowerCase().includes(query.toLowerCase()) || row.phone?.includes(query),
        );
        return { total: all.length, rows: all.slice(offset, offset + limit) };
      }
      case 'outbox.list':
        return { items: [] };
      case 'activity.list':
        return { entries: [] };
      case 'jobs.list':
        return { jobs: [] };
      default:
        throw new IgError('internal', { detail: `no fake for ${type}` });
    }
  });
  return { ask: ask as unknown as PanelService['ask'], calls, spy: ask };
}

async function settle(ms = 0) {
  for (let i = 0; i < 4; i += 1) await act(async () => new Promise((resolve) => setTimeout(resolve, ms)));
}

async function mount(ask: PanelService['ask'], extra: Partial<PanelService> = {}) {
  container = document.createElement('div');
  document.body.append(container);
  const service: PanelService = { ask, openOptions: vi.fn(), openInTab: vi.fn(), download: vi.fn(), ...extra };
  act(() => render(<Panel service={service} debounceMs={0} pollMs={5} />, container));
  await settle();
  return service;
}

const $ = <E extends Element = HTMLElement>(testId: string) => container.querySelector<E>(`[data-testid="${testId}"]`);
const $$ = (testId: string) => [...container.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
const click = async (element: Element | null) => {
  if (!element) throw new Error('nothing to click');
  act(() => (element as HTMLElement).click());
  await settle();
};
const called = (calls: { type: MessageType; payload: unknown }[], type: MessageType) => calls.filter((call) => call.type === type);

describe('who am I and the connection', () => {
  test('shows the platform, account, user and role, and that it is connected', async () => {
    const { ask } = fakeAsk('admin');
    await mount(ask);
    expect($('ig-panel-who')?.textContent).toContain('Reference inbox');
    expect($('ig-panel-who')?.textContent).toContain('Account Aurora');
    expect($('ig-panel-user')?.textContent).toBe('Ana Admin (Administrator)');
    expect($('ig-panel-connection')?.dataset.kind).toBe('connected');
  });

  test('not configured: says so and opens the options page', async () => {
    const { ask } = fakeAsk('admin', { 'panel.state': () => Promise.reject(new IgError('not_configured')) });
    const service = await mount(ask);
    expect($('ig-panel-connection')?.dataset.kind).toBe('not_configured');
    expect($('ig-panel-connection')?.textContent).toContain('not connected to a platform yet');
    await click($('ig-panel-options'));
    expect(service.openOptions).toHaveBeenCalled();
    expect($('ig-panel-list')).toBeNull();
  });

  test('a connection error is shown in words, and the panel can open in a tab', async () => {
    const { ask } = fakeAsk('admin', { 'panel.state': () => Promise.reject(new IgError('unauthorized', { status: 401 })) });
    const service = await mount(ask);
    expect($('ig-panel-connection')?.dataset.kind).toBe('error');
    expect($('ig-panel-connection-error')?.textContent).toContain('did not accept your API token');
    await click($('ig-panel-open-tab'));
    expect(service.openInTab).toHaveBeenCalled();
  });
});

describe('the Blocked | Archived lists', () => {
  test('a tablist with the counts; the list shows the rows of the selected tab', async () => {
    const { ask } = fakeAsk('admin');
    await mount(ask);
    const tabs = container.querySelectorAll('[role="tab"]');
    expect([...tabs].map((tab) => tab.textContent)).toEqual(['Blocked 3', 'Archived 2', 'Find']);
    expect(tabs[0]?.getAttribute('aria-selected')).toBe('true');
    expect($$('ig-panel-list-row').map((row) => row.querySelector('.ig-row__name')?.textContent)).toEqual(['Spammer 1', 'Spammer 2', 'Spammer 3']);

    act(() => void (tabs[0] as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
    await settle();
    expect(container.querySelectorAll('[role="tab"]')[1]?.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(container.querySelectorAll('[role="tab"]')[1]);
    expect($$('ig-panel-list-row').map((row) => row.querySelector('.ig-row__name')?.textContent)).toEqual(['Client 1', 'Client 2']);
    expect($$('ig-panel-list-action').map((button) => button.textContent)).toEqual(['Unarchive', 'Unarchive']);
  });

  test('10,000 contacts: only a window of rows is in the DOM, each knows its place; scrolling fetches the next window', async () => {
    const { ask, calls } = fakeAsk('admin', {}, { blocked: 10_000, archived: 0 });
    await mount(ask);
    const rows = $$('ig-panel-list-row');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(25);
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('10000');
    expect(rows[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(called(calls, 'contacts.list').map((call) => call.payload)).toEqual([{ status: 'blocked', offset: 0, limit: 100 }]);

    const scroller = container.querySelector<HTMLElement>('.ig-list__scroller')!;
    scroller.scrollTop = 56 * 5_000;
    act(() => void scroller.dispatchEvent(new Event('scroll')));
    await settle();
    expect(called(calls, 'contacts.list').map((call) => (call.payload as { offset: number }).offset)).toContain(4_900);
    const after = $$('ig-panel-list-row');
    expect(after.length).toBeLessThan(25);
    expect(after.some((row) => row.querySelector('.ig-row__name')?.textContent === 'Spammer 5001')).toBe(true);
  });

  test('arrow keys move between rows and Space selects one', async () => {
    const { ask } = fakeAsk('admin');
    await mount(ask);
    const first = $$('ig-panel-list-row')[0]!;
    expect(first.tabIndex).toBe(0);
    first.focus();
    act(() => void first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })));
    await settle();
    const second = $$('ig-panel-list-row')[1]!;
    expect(document.activeElement).toBe(second);
    act(() => void second.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
    await settle();
    expect($('ig-panel-selection')?.textContent).toContain('1 selected');
    act(() => void $$('ig-panel-list-row')[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    await settle();
    expect($('ig-panel-confirm')?.textContent).toContain('Unblock Spammer 2?');
  });

  test('the search asks the background with the query (debounced) and shows what matches', async () => {
    const { ask, calls } = fakeAsk('admin');
    await mount(ask);
    const search = $<HTMLInputElement>('ig-panel-search')!;
    search.value = 'spammer 2';
    act(() => void search.dispatchEvent(new Event('input', { bubbles: true })));
    await settle(5);
    expect(called(calls, 'contacts.list').at(-1)?.payload).toMatchObject({ status: 'blocked', query: 'spammer 2' });
    expect($$('ig-panel-list-row').map((row) => row.querySelector('.ig-row__name')?.textContent)).toEqual(['Spammer 2']);
    expect($('ig-panel-count-blocked')?.textContent).toBe('1');
  });
});

describe('per-row actions: role-gated, always confirmed', () => {
  test('an admin unblocks a contact: the confirmation comes first, the call only after Confirm', async () => {
    const { ask, calls } = fakeAsk('admin', {
      'contact.setStatus': ({ contactId }) => ({ ...contact('blocked', 1), id: contactId, status: 'active', confirmed: 'active' }),
    });
    await mount(ask);
    await click($$('ig-panel-list-action')[0]!);
    expect($('ig-panel-confirm')?.textContent).toContain('Unblock Spammer 1?');
    expect(called(calls, 'contact.setStatus')).toEqual([]);

    await click($('ig-panel-confirm-cancel'));
    expect($('ig-panel-confirm')).toBeNull();
    expect(called(calls, 'contact.setStatus')).toEqual([]);

    await click($$('ig-panel-list-action')[0]!);
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'contact.setStatus').map((call) => call.payload)).toEqual([{ contactId: 'b1', action: 'unblock' }]);
    expect($('ig-panel-notice')?.textContent).toBe('Spammer 1 is unblocked.');
    // The list is asked again.
    expect(called(calls, 'contacts.list').length).toBeGreaterThan(1);
  });

  test('an agent sees the blocked list read-only (Unblock disabled with the reason) and may unarchive', async () => {
    const { ask, calls } = fakeAsk('agent', { 'contact.setStatus': () => ({ ...contact('archived', 1), status: 'active', confirmed: 'active' }) });
    await mount(ask);
    const unblock = $$('ig-panel-list-action')[0]!;
    expect(unblock.getAttribute('aria-disabled')).toBe('true');
    expect(unblock.title).toBe('Only administrators can block contacts');
    expect($('ig-panel-list-readonly')?.textContent).toBe('Only administrators can block contacts');
    await click(unblock);
    expect($('ig-panel-confirm')).toBeNull();

    await click($('ig-panel-tab-archived'));
    await click($$('ig-panel-list-action')[0]!);
    expect($('ig-panel-confirm')?.textContent).toContain('Unarchive Client 1?');
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'contact.setStatus').map((call) => call.payload)).toEqual([{ contactId: 'a1', action: 'unarchive' }]);
  });

  test('a failed action says why in the panel', async () => {
    const { ask } = fakeAsk('admin', { 'contact.setStatus': () => Promise.reject(new IgError('network')) });
    await mount(ask);
    await click($$('ig-panel-list-action')[0]!);
    await click($('ig-panel-confirm-confirm'));
    expect($('ig-panel-error')?.textContent).toContain("Can't reach the platform");
  });
});

describe('bulk actions and jobs', () => {
  test('select rows, confirm "Unblock 2 contacts?", then one bulk job; its progress, estimate and cancel', async () => {
    let progress: JobView | undefined;
    const { ask, calls } = fakeAsk('admin', {
      'panel.state': () => panelState('admin', { jobs: progress ? [progress] : [] }),
      'bulk.start': ({ contactIds }) => (progress = job({ total: contactIds.length, done: 0, failed: 0 })),
      'jobs.list': () => ({ jobs: progress ? [progress] : [] }),
      'job.cancel': () => (progress = { ...progress!, state: 'cancelled', estimateMs: undefined }),
    });
    await mount(ask);
    const checks = $$('ig-panel-list-check');
    await click(checks[0]!);
    await click(checks[2]!);
    expect($('ig-panel-selection')?.textContent).toContain('2 selected');
    expect($('ig-panel-bulk-block')?.getAttribute('aria-disabled')).toBe('true');
    expect($('ig-panel-bulk-archive')?.title).toContain('unblock them first');

    await click($('ig-panel-bulk-unblock'));
    expect($('ig-panel-confirm')?.textContent).toContain('Unblock 2 contacts?');
    expect(called(calls, 'bulk.start')).toEqual([]);
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'bulk.start').map((call) => call.payload)).toEqual([{ action: 'unblock', contactIds: ['b1', 'b3'] }]);

    progress = { ...progress!, done: 1, estimateMs: 90_000 };
    await settle(10);
    expect($('ig-panel-job-counts')?.textContent).toContain('1 of 2');
    expect($('ig-panel-job-eta')?.textContent).toContain('About 2 minutes left');
    expect($<HTMLProgressElement>('ig-panel-job-bar')?.value).toBe(1);

    await click($('ig-panel-job-cancel'));
    expect(called(calls, 'job.cancel').map((call) => call.payload)).toEqual([{ id: 'j1' }]);
    expect($('ig-panel-job')?.dataset.state).toBe('cancelled');
  });

  test('when a running job ends, the panel says how it went and asks the lists again', async () => {
    let current = job({ total: 4, done: 1, failed: 0 });
    const { ask, calls } = fakeAsk('admin', {
      'panel.state': () => panelState('admin', { jobs: [current] }),
      'jobs.list': () => ({ jobs: [current] }),
    });
    await mount(ask);
    const lists = called(calls, 'contacts.list').length;
    current = { ...current, state: 'done', done: 3, failed: 1, estimateMs: undefined, finishedAt: 1 };
    await settle(10);
    expect($('ig-panel-notice')?.textContent).toBe('Finished: 3 done, 1 failed, 0 skipped');
    expect($('ig-panel-job')?.dataset.state).toBe('done');
    expect(called(calls, 'contacts.list').length).toBeGreaterThan(lists);
  });

  test('a job paused while the panel is open (signed out) shows as a warning, and is followed live until it ends after signing in again', async () => {
    let current = job({ action: 'block', total: 5, done: 0, failed: 0 });
    let paused = 0;
    const { ask, calls } = fakeAsk('admin', {
      'panel.state': () => panelState('admin', { jobs: [current], outbox: { queued: 0, failed: 0, paused } }),
      'jobs.list': () => ({ jobs: [current] }),
    });
    await mount(ask);
    expect($('ig-panel-connection')?.dataset.kind).toBe('connected');

    // A 401: the queue and the job wait for the user.
    current = { ...current, state: 'paused', estimateMs: undefined };
    paused = 5;
    await settle(10);
    expect($('ig-panel-job')?.dataset.state).toBe('paused');
    expect($('ig-panel-job-state')?.className).toContain('ig-job__state--warning');
    expect($('ig-panel-job-state')?.textContent).toContain('Paused: sign in again in the settings');
    expect($('ig-panel-notice')?.dataset.kind).toBe('warning');
    expect($('ig-panel-notice')?.textContent).toBe('A job is paused until you sign in again in the settings; then it goes on by itself.');
    // Not "Connected" in green above it: the connection line says what waits, with the way to the settings.
    expect($('ig-panel-connection')?.dataset.kind).toBe('paused');
    expect($('ig-panel-paused')?.textContent).toContain('Signed out');
    expect(container.querySelector('.ig-dot')).toBeNull();

    // Still paused a while later: still asked, still shown.
    const asked = called(calls, 'jobs.list').length;
    await settle(10);
    expect(called(calls, 'jobs.list').length).toBeGreaterThan(asked);

    // Signed in again (in the settings): the job goes on, then ends; the panel follows without being reopened.
    paused = 0;
    current = { ...current, state: 'running', estimateMs: 2_000 };
    await settle(10);
    expect($('ig-panel-job')?.dataset.state).toBe('running');
    expect($('ig-panel-notice')?.dataset.kind).toBe('none');
    const lists = called(calls, 'contacts.list').length;
    current = { ...current, state: 'done', done: 5, estimateMs: undefined, finishedAt: 1 };
    await settle(10);
    expect($('ig-panel-job')?.dataset.state).toBe('done');
    expect($('ig-panel-job-counts')?.textContent).toContain('5 of 5');
    expect($('ig-panel-notice')?.textContent).toBe('Finished: 5 done, 0 failed, 0 skipped');
    expect($('ig-panel-connection')?.dataset.kind).toBe('connected');
    expect(called(calls, 'contacts.list').length).toBeGreaterThan(lists);
  });

  test.each([
    ['rate_limit', 'waiting for the platform’s rate limit: about 5 minutes'],
    ['retry_after', 'the platform asked to wait: about 30 seconds'],
  ] as const)('while the next request waits (%s), the time left says what for and how long', async (waitingFor, text) => {
    const waitMs = waitingFor === 'rate_limit' ? 280_000 : 30_400;
    const current = job({ estimateMs: waitMs + 3_000, waitingFor, waitingUntil: Date.now() + waitMs });
    const { ask } = fakeAsk('admin', { 'panel.state': () => panelState('admin', { jobs: [current] }), 'jobs.list': () => ({ jobs: [current] }) });
    await mount(ask);
    expect($('ig-panel-job-eta')?.textContent).toContain('About');
    expect($('ig-panel-job-wait')?.textContent).toContain(text);
    expect($('ig-panel-job-wait')?.dataset.for).toBe(waitingFor);
  });

  test('"select all" takes every matching contact, not only the rows in view', async () => {
    const { ask, calls } = fakeAsk('admin', { 'bulk.start': ({ contactIds }) => job({ total: contactIds.length }) }, { blocked: 1_200, archived: 0 });
    await mount(ask);
    await click($('ig-panel-select-all'));
    expect($('ig-panel-selection')?.textContent).toContain('1,200 selected');
    await click($('ig-panel-bulk-unblock'));
    expect($('ig-panel-confirm')?.textContent).toContain('Unblock 1,200 contacts?');
    await click($('ig-panel-confirm-confirm'));
    expect((called(calls, 'bulk.start')[0]?.payload as { contactIds: string[] }).contactIds).toHaveLength(1_200);
  });

  test('an agent may not bulk-unblock, and a job already running shows when the popup opens', async () => {
    const { ask } = fakeAsk('agent', { 'panel.state': () => panelState('agent', { jobs: [job({ state: 'running' })] }), 'jobs.list': () => ({ jobs: [job()] }) });
    await mount(ask);
    expect($('ig-panel-job')?.dataset.state).toBe('running');
    await click($$('ig-panel-list-check')[0]!);
    expect($('ig-panel-bulk-unblock')?.getAttribute('aria-disabled')).toBe('true');
    await click($('ig-panel-bulk-unblock'));
    expect($('ig-panel-confirm')).toBeNull();
  });
});

describe('import, export, outbox, activity, sync', () => {
  async function pick(text: string, name = 'list.csv') {
    const input = $<HTMLInputElement>('ig-panel-import-file')!;
    const file = new File([text], name, { type: 'text/csv' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle(5);
  }

  test('the report (row, value, reason) is shown before anything is applied; a failed apply keeps the rows', async () => {
    let fail = true;
    let started: JobView | undefined;
    const { ask, calls } = fakeAsk('admin', {
      'import.apply': ({ rows }) =>
        fail ? Promise.reject(new IgError('network')) : (started = job({ kind: 'import', action: undefined, total: rows.length })),
      'jobs.list': () => ({ jobs: started ? [started] : [] }),
    });
    await mount(ask);
    await pick('phone,status,note\n+5511900000001,blocked,spam\n+55 11 98765-4321,archivado,\nnot a phone,blocked,\n');
    expect($('ig-panel-import-summary')?.textContent).toBe('list.csv: 3 rows, 2 valid, 1 with problems.');
    expect($$('ig-panel-import-problem').map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([
      ['4', 'not a phone', 'Not a valid phone number'],
    ]);
    expect(called(calls, 'import.apply')).toEqual([]);
    expect($('ig-panel-import-apply')?.textContent).toBe('Apply 2 valid rows, skip 1 invalid');

    await click($('ig-panel-import-apply'));
    expect($('ig-panel-import-apply-error')?.textContent).toContain("Can't reach the platform");
    expect($('ig-panel-import-report')).not.toBeNull();

    fail = false;
    await click($('ig-panel-import-apply'));
    expect(called(calls, 'import.apply').at(-1)?.payload).toEqual({
      rows: [
        { phone: '+5511900000001', status: 'blocked', note: 'spam' },
        { phone: '+5511987654321', status: 'archived' },
      ],
    });
    expect($('ig-panel-import-report')).toBeNull();
    expect($('ig-panel-notice')?.textContent).toBe('Import started: 2 rows.');
    expect($('ig-panel-job')?.textContent).toContain('Import: 2 rows');
  });

  test('a JSON file dropped on the zone gets the same report', async () => {
    const { ask } = fakeAsk('admin');
    await mount(ask);
    const drop = $('ig-panel-import-drop')!;
    const file = new File([JSON.stringify({ contacts: [{ email: 'ana@example.com', status: 'bloqué' }, { email: 'nope', status: 'blocked' }] })], 'list.json', { type: 'application/json' });
    // happy-dom has no `ondrop` property, so Preact listens to "Drop" there (browsers: "drop").
    const event = new Event('ondrop' in drop ? 'drop' : 'Drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { files: [file] } });
    act(() => void drop.dispatchEvent(event));
    await settle(5);
    expect($('ig-panel-import-error')?.textContent ?? null).toBeNull();
    expect($('ig-panel-import-summary')?.textContent).toBe('list.json: 2 rows, 1 valid, 1 with problems.');
    expect($('ig-panel-import-problem')?.textContent).toBe('2nopeNot a valid e-mail address');
  });

  test("an import's report lists the rows not found, refused or failed", async () => {
    const done = job({ id: 'j2', kind: 'import', action: undefined, state: 'done', total: 3, done: 1, failed: 1, skipped: 1, estimateMs: undefined });
    const { ask, calls } = fakeAsk('admin', {
      'panel.state': () => panelState('admin', { jobs: [done] }),
      'job.items': () => ({
        total: 2,
        items: [
          { n: 2, key: 'phone:+5511900000009', target: 'blocked', state: 'not_found' },
          { n: 3, key: 'id:77', target: 'archived', state: 'failed', contactName: 'Lia', error: { code: 'server_error' } },
        ],
      }),
    });
    await mount(ask);
    await click($('ig-panel-job-report-toggle'));
    expect(called(calls, 'job.items').map((call) => call.payload)).toEqual([{ id: 'j2', states: ['failed', 'not_found', 'refused'], offset: 0, limit: 200 }]);
    const rows = [...($('ig-panel-job-report')?.querySelectorAll('tbody tr') ?? [])].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['2', '+5511900000009', 'No such contact on the platform'],
      ['3', 'Lia', 'The platform is having trouble right now. Try again in a moment.'],
    ]);
  });

  test('a file that is not CSV or JSON is refused with a clear message', async () => {
    const { ask } = fakeAsk('admin');
    await mount(ask);
    await pick('x', 'contacts.xlsx');
    expect($('ig-panel-import-error')?.textContent).toBe('“contacts.xlsx” is not a CSV, tab-separated text or JSON file.');
  });

  test('export downloads the chosen lists as CSV or JSON', async () => {
    const { ask, calls } = fakeAsk('admin', { 'export.rows': () => ({ rows: [{ contactId: 'b1', name: 'Spammer 1', phone: '+5511900000001', status: 'blocked' }] }) });
    const service = await mount(ask);
    await click($('ig-panel-export-archived'));
    await click($('ig-panel-export-json'));
    await click($('ig-panel-export-button'));
    expect(called(calls, 'export.rows').map((call) => call.payload)).toEqual([{ statuses: ['blocked'] }]);
    const [fileName, mime, text] = vi.mocked(service.download).mock.calls[0]!;
    expect(fileName).toMatch(/^inbox-guard-blocked-\d{4}-\d\d-\d\d\.json$/);
    expect(mime).toBe('application/json');
    expect(JSON.parse(text)).toEqual({ contacts: [{ contactId: 'b1', name: 'Spammer 1', phone: '+5511900000001', status: 'blocked' }] });
    expect($('ig-panel-notice')?.textContent).toBe('Exported 1 contacts.');
  });

  test('pending and failed actions: Retry, and Discard after a confirmation; the activity log pages back', async () => {
    const item = {
      seq: 7, contactId: 'b1', contactName: 'Spammer 1', action: 'block' as const, state: 'failed' as const, attempts: 3, nextAt: 0, createdAt: 0,
      error: { code: 'server_error' as const }, by: { userName: 'Ana Admin', role: 'admin' as const },
    };
    const entries = Array.from({ length: 50 }, (_, i) => ({
      seq: 100 - i, at: 0, contactId: 'b1', contactName: 'Spammer 1', action: 'block' as const, by: { userName: 'Ana Admin', role: 'admin' as const }, result: 'done' as const,
    }));
    const { ask, calls } = fakeAsk('admin', {
      'outbox.list': () => ({ items: [item] }),
      'outbox.retry': () => ({}),
      'outbox.discard': () => ({}),
      'activity.list': ({ before }) => ({ entries: before ? [] : entries }),
    });
    await mount(ask);
    expect($('ig-panel-outbox-item')?.textContent).toContain('Block · Spammer 1');
    expect($('ig-panel-outbox-item')?.textContent).toContain('having trouble');
    await click($('ig-panel-outbox-retry'));
    expect(called(calls, 'outbox.retry').map((call) => call.payload)).toEqual([{ seq: 7 }]);
    await click($('ig-panel-outbox-discard'));
    expect($('ig-panel-confirm')?.textContent).toContain('Discard “Block · Spammer 1”?');
    expect(called(calls, 'outbox.discard')).toEqual([]);
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'outbox.discard').map((call) => call.payload)).toEqual([{ seq: 7 }]);

    expect($$('ig-panel-activity-entry')[0]?.textContent).toContain('Ana Admin blocked Spammer 1');
    await click($('ig-panel-activity-more'));
    expect(called(calls, 'activity.list').at(-1)?.payload).toEqual({ before: 51, limit: 50 });
  });

  test('a sync already running when the panel opens: Sync now waits, then the new counts show', async () => {
    let syncing = true;
    const { ask } = fakeAsk('admin', { 'panel.state': () => panelState('admin', { syncing, counts: syncing ? { blocked: 0, archived: 0 } : { blocked: 3, archived: 2 } }) });
    await mount(ask);
    expect($<HTMLButtonElement>('ig-panel-sync')?.disabled).toBe(true);
    expect($('ig-panel-sync')?.textContent).toBe('Syncing…');
    syncing = false;
    await settle(10);
    expect($<HTMLButtonElement>('ig-panel-sync')?.disabled).toBe(false);
    expect($('ig-panel-count-blocked')?.textContent).toBe('3');
  });

  test('Sync now tells what it did, or why it could not', async () => {
    let fail = false;
    const { ask } = fakeAsk('admin', { 'sync.now': () => (fail ? Promise.reject(new IgError('rate_limited')) : { changed: 4, at: Date.UTC(2026, 10, 21, 12, 0) }) });
    await mount(ask);
    await click($('ig-panel-sync'));
    expect($('ig-panel-notice')?.textContent).toMatch(/^Synced at .+: 4 changes\.$/);
    fail = true;
    await click($('ig-panel-sync'));
    expect($('ig-panel-error')?.textContent).toContain('too many requests');
  });

  test('the panel speaks Brazilian Portuguese and French', async () => {
    useLocale('pt_BR');
    const { ask } = fakeAsk('admin');
    await mount(ask);
    expect([...container.querySelectorAll('[role="tab"]')].map((tab) => tab.textContent)).toEqual(['Bloqueado 3', 'Arquivado 2', 'Buscar']);
    expect($$('ig-panel-list-action')[0]?.textContent).toBe('Desbloquear');
    act(() => render(null, container));
    useLocale('fr');
    await mount(ask);
    expect($('ig-panel-open-tab')?.textContent).toBe('Ouvrir dans un onglet');
  });
});

describe('Find: contacts on the platform, whatever their status', () => {
  const found = (status: 'active' | 'archived' | 'blocked', n: number, name: string): ContactRow => ({
    id: `f${n}`,
    name,
    email: `${name.split(' ')[0]!.toLowerCase()}@correio.example`,
    status,
    confirmed: status,
    statusSince: 0,
  });
  const ROWS = [found('active', 1, 'Mariana Souza'), found('active', 2, 'João Pereira'), found('blocked', 3, 'Empréstimo Fácil'), found('archived', 4, 'Renata Campos')];

  async function find(text: string) {
    await click($('ig-panel-tab-find'));
    const input = $<HTMLInputElement>('ig-panel-find-search')!;
    input.value = text;
    act(() => void input.dispatchEvent(new Event('input', { bubbles: true })));
    await settle(5);
  }
  const names = () => $$('ig-panel-find-row').map((row) => row.querySelector('.ig-row__name')?.textContent);

  test('a third tab; fewer than 2 characters asks nothing; then rows with their status badge and the actions their status allows', async () => {
    const { ask, calls } = fakeAsk('admin', { 'contacts.find': () => ({ rows: ROWS, more: false }) });
    await mount(ask);
    await find('m');
    expect($('ig-panel-find-status')?.textContent).toContain('at least 2 characters');
    expect(called(calls, 'contacts.find')).toEqual([]);
    await find('correio');
    expect(called(calls, 'contacts.find').map((call) => call.payload)).toEqual([{ query: 'correio' }]);
    expect(names()).toEqual(['Mariana Souza', 'João Pereira', 'Empréstimo Fácil', 'Renata Campos']);
    expect($$('ig-panel-find-badge').map((badge) => badge.textContent)).toEqual(['Active', 'Active', 'Blocked', 'Archived']);
    expect($$('ig-panel-find-row').map((row) => [...row.querySelectorAll('button')].map((button) => button.textContent))).toEqual([
      ['Archive', 'Block'],
      ['Archive', 'Block'],
      ['Unblock'],
      ['Unarchive'],
    ]);
    expect($('ig-panel-find-status')?.textContent).toBe('4 found');
    expect($('ig-panel-tab-find')?.getAttribute('aria-selected')).toBe('true');
  });

  test('an admin selects two active contacts and bulk-archives them after the confirmation; the search is asked again', async () => {
    const { ask, calls } = fakeAsk('admin', {
      'contacts.find': () => ({ rows: ROWS, more: false }),
      'bulk.start': ({ contactIds }) => job({ action: 'archive', total: contactIds.length, done: 0, failed: 0 }),
      'jobs.list': () => ({ jobs: [] }),
    });
    await mount(ask);
    await find('correio');
    const checks = $$('ig-panel-find-check');
    await click(checks[0]!);
    await click(checks[1]!);
    expect($('ig-panel-selection')?.textContent).toContain('2 selected');
    expect($('ig-panel-bulk-unblock')?.getAttribute('aria-disabled')).toBe('true');
    expect($('ig-panel-bulk-unblock')?.title).toBe('This contact is not blocked.');
    await click($('ig-panel-bulk-archive'));
    expect($('ig-panel-confirm')?.textContent).toContain('Archive 2 contacts?');
    expect(called(calls, 'bulk.start')).toEqual([]);
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'bulk.start').map((call) => call.payload)).toEqual([{ action: 'archive', contactIds: ['f1', 'f2'] }]);
    expect($('ig-panel-notice')?.textContent).toBe('Job started: 2 contacts.');
    expect(called(calls, 'contacts.find').length).toBeGreaterThan(1);
  });

  test('a mixed selection: the action takes the rows it applies to and says how many it leaves out', async () => {
    const { ask, calls } = fakeAsk('admin', { 'contacts.find': () => ({ rows: ROWS, more: false }), 'bulk.start': ({ contactIds }) => job({ total: contactIds.length }) });
    await mount(ask);
    await find('correio');
    for (const check of $$('ig-panel-find-check')) await click(check);
    expect($('ig-panel-selection')?.textContent).toContain('4 selected');
    await click($('ig-panel-bulk-block'));
    expect($('ig-panel-confirm')?.textContent).toContain('Block 3 contacts?');
    expect($('ig-panel-confirm')?.textContent).toContain('1 of the selected contacts will be left as they are');
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'bulk.start').map((call) => call.payload)).toEqual([{ action: 'block', contactIds: ['f1', 'f2', 'f4'] }]);
  });

  test('an agent may archive what was found; Block is disabled with the reason, in bulk and per row', async () => {
    const { ask, calls } = fakeAsk('agent', {
      'contacts.find': () => ({ rows: ROWS.slice(0, 2), more: false }),
      'contact.setStatus': ({ contactId }) => ({ id: contactId, name: 'Mariana Souza', status: 'archived', confirmed: 'archived', statusSince: 1 }),
    });
    await mount(ask);
    await find('correio');
    const block = $$('ig-panel-find-action-block')[0]!;
    expect(block.getAttribute('aria-disabled')).toBe('true');
    expect(block.title).toBe('Only administrators can block contacts');
    await click(block);
    expect($('ig-panel-confirm')).toBeNull();
    await click($$('ig-panel-find-check')[0]!);
    expect($('ig-panel-bulk-block')?.getAttribute('aria-disabled')).toBe('true');
    expect($('ig-panel-bulk-block')?.title).toBe('Only administrators can block contacts');
    expect($('ig-panel-bulk-archive')?.getAttribute('aria-disabled')).toBeNull();

    await click($$('ig-panel-find-action-archive')[0]!);
    expect($('ig-panel-confirm')?.textContent).toContain('Archive Mariana Souza?');
    await click($('ig-panel-confirm-confirm'));
    expect(called(calls, 'contact.setStatus').map((call) => call.payload)).toEqual([{ contactId: 'f1', action: 'archive' }]);
  });

  test('nothing found says so; more than 50 says to narrow the search', async () => {
    let answer: ResponseOf<'contacts.find'> = { rows: [], more: false };
    const { ask } = fakeAsk('admin', { 'contacts.find': () => answer });
    await mount(ask);
    await find('zz');
    expect($('ig-panel-find-status')?.textContent).toBe('No contact on the platform matches “zz”.');
    answer = { rows: Array.from({ length: 50 }, (_, i) => found('blocked', i, `Promo ${i}`)), more: true };
    await find('promo');
    expect($$('ig-panel-find-row')).toHaveLength(50);
    expect($('ig-panel-find-status')?.textContent).toBe('50 found · Only the first 50 matches are shown: type more to narrow the search.');
  });

  test('the platform down or a refused token: the reason in words, the last rows kept, and Try again', async () => {
    let fail: IgError | null = null;
    const { ask, calls } = fakeAsk('admin', { 'contacts.find': () => (fail ? Promise.reject(fail) : { rows: ROWS, more: false }) });
    await mount(ask);
    await find('correio');
    fail = new IgError('network');
    await find('correio.example');
    expect($('ig-panel-find-error')?.textContent).toContain("Can't reach the platform");
    expect($('ig-panel-find-error')?.textContent).toContain('the rows below are from the last one that worked');
    expect(names()).toHaveLength(4);
    fail = new IgError('unauthorized', { status: 401 });
    await click($('ig-panel-find-retry'));
    expect($('ig-panel-find-error')?.textContent).toContain('did not accept your API token');
    fail = null;
    await click($('ig-panel-find-retry'));
    expect($('ig-panel-find-error')).toBeNull();
    expect(called(calls, 'contacts.find').at(-1)?.payload).toEqual({ query: 'correio.example' });
  });

  test('Find speaks Brazilian Portuguese and French', async () => {
    useLocale('pt_BR');
    const { ask } = fakeAsk('admin', { 'contacts.find': () => ({ rows: ROWS.slice(0, 1), more: false }) });
    await mount(ask);
    await find('ma');
    expect($('ig-panel-tab-find')?.textContent).toBe('Buscar');
    expect($$('ig-panel-find-badge')[0]?.textContent).toBe('Ativo');
    act(() => render(null, container));
    useLocale('fr');
    await mount(ask);
    await find('m');
    expect($('ig-panel-tab-find')?.textContent).toBe('Rechercher');
    expect($('ig-panel-find-status')?.textContent).toContain('au moins 2 caractères');
  });
});
