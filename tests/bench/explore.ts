import { launchChromium } from '../e2e/harness/chromium';
import { connection, contactNamed } from '../e2e/harness/inbox';
import { connectExtension, openConversation, signInToInbox, badge } from '../e2e/harness/steps';
import { startReferenceInbox } from '../reference-inbox/server';

const inbox = await startReferenceInbox({ style: 'chatwoot', port: 0, spamIntervalMs: 0 });
const browser = await launchChromium();
const t0 = Date.now();
const log = (s: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`);
const options = await connectExtension(browser, connection(inbox, 'admin'));
log('connected ' + (await options.getByTestId('ig-options-outcome').getAttribute('data-kind')));
await new Promise((r) => setTimeout(r, 2000));
log('requests so far ' + inbox.control.requests().length);
inbox.control.seed(5000, 1);
inbox.control.seedBlocked(100_000);
const blocked = inbox.model.listContacts().filter((c) => c.status === 'blocked');
log(`server blocked ${blocked.length}`);
const worker = await browser.worker();
const records = blocked.map((c) => ({ id: String(c.id), name: c.name }));
const filled = await worker.evaluate(async ({ records, origin }) => {
  const db: IDBDatabase = await new Promise((res, rej) => { const r = indexedDB.open('inbox-guard'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const sample: unknown[] = await new Promise((res) => { const r = db.transaction('contacts').objectStore('contacts').getAll(null, 3); r.onsuccess = () => res(r.result); });
  const now = Date.now();
  const tx = db.transaction('contacts', 'readwrite');
  const store = tx.objectStore('contacts');
  for (const r of records) store.put({ platform: `chatwoot@${origin}`, account: '1', id: r.id, name: r.name, status: 'blocked', statusSince: now, blockedAt: now, checkedAt: now });
  await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
  const count: number = await new Promise((res) => { const r = db.transaction('contacts').objectStore('contacts').index('byStatus').count(IDBKeyRange.only([`chatwoot@${origin}`, '1', 'blocked'])); r.onsuccess = () => res(r.result); });
  db.close();
  return { sample, count };
}, { records, origin: new URL(inbox.url).origin });
log('filled ' + JSON.stringify(filled));
const page = await browser.context.newPage();
await signInToInbox(page, inbox, inbox.tokens.admin);
log('signed in');
const conv = inbox.model.latestConversation(contactNamed(inbox, 'Mariana Souza').id)!;
await page.goto(`${inbox.url}/inbox/c/${conv.id}`);
await page.locator('.ri-chat__name', { hasText: 'Mariana Souza' }).waitFor();
await page.waitForFunction(() => document.querySelector('inbox-guard-bar')?.shadowRoot?.querySelector('[data-status=active]'));
log('badge ' + (await badge(page).textContent()));
await page.evaluate(() => { const w = window as unknown as { lt: number[] }; w.lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) w.lt.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true }); });
const before = inbox.control.requests().length;
const start = Date.now();
await worker.evaluate(() => (globalThis as unknown as { chrome: { alarms: { onAlarm: { dispatch(a: object): void } } } }).chrome.alarms.onAlarm.dispatch({ name: 'sync', scheduledTime: Date.now() }));
for (let i = 0; i < 40; i++) {
  await new Promise((r) => setTimeout(r, 5000));
  const reqs = inbox.control.requests(start);
  const lt = await page.evaluate(() => (window as unknown as { lt: number[] }).lt);
  log(`requests ${reqs.length} (filter ${reqs.filter((r) => r.path.includes('filter')).length}) last ${reqs.at(-1)?.path}${reqs.at(-1)?.query} longtasks ${lt.length} sum ${lt.reduce((a, b) => a + b, 0)}`);
  const count = await worker.evaluate(async (origin) => {
    const db: IDBDatabase = await new Promise((res) => { const r = indexedDB.open('inbox-guard'); r.onsuccess = () => res(r.result); });
    const c: number = await new Promise((res) => { const r = db.transaction('contacts').objectStore('contacts').index('byStatus').count(IDBKeyRange.only([`chatwoot@${origin}`, '1', 'blocked'])); r.onsuccess = () => res(r.result); });
    db.close(); return c;
  }, new URL(inbox.url).origin);
  log(`local blocked ${count}`);
}
void before; void contactNamed;
await browser.close();
await inbox.close();
