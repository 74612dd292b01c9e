/**
 * Saved examples of the extension's IndexedDB: `restoreDump` rebuilds a database exactly as an
 * older version left it (stores, key paths, indexes, records), `dumpDatabase` reads one back.
 */
import { openDB } from 'idb';

interface StoreDump {
  keyPath: string | string[];
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[] }[];
  records: unknown[];
}

export interface Dump {
  version: number;
  stores: Record<string, StoreDump>;
}

export async function restoreDump(name: string, dump: Dump): Promise<void> {
  const db = await openDB(name, dump.version, {
    upgrade(database) {
      for (const [storeName, store] of Object.entries(dump.stores)) {
        const objectStore = database.createObjectStore(storeName, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
        for (const index of store.indexes) objectStore.createIndex(index.name, index.keyPath);
      }
    },
  });
  for (const [storeName, store] of Object.entries(dump.stores)) {
    const tx = db.transaction(storeName, 'readwrite');
    for (const record of store.records) await tx.store.put(record);
    await tx.done;
  }
  db.close();
}

export async function dumpDatabase(name: string): Promise<Dump> {
  const db = await openDB(name);
  const stores: Record<string, StoreDump> = {};
  for (const storeName of db.objectStoreNames) {
    const tx = db.transaction(storeName);
    const store = tx.store;
    stores[storeName] = {
      keyPath: store.keyPath as string | string[],
      autoIncrement: store.autoIncrement,
      indexes: [...store.indexNames].map((indexName) => ({ name: indexName, keyPath: store.index(indexName).keyPath as string | string[] })),
      records: await store.getAll(),
    };
  }
  const version = db.version;
  db.close();
  return { version, stores };
}
