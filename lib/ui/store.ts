/**
 * A small observable store (the signal-store factory of the house style): surfaces create
 * one per mount and hand it down, components read it with `useStore`, tests make a fresh one.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Store<T extends object> {
  get(): T;
  set(patch: Partial<T> | ((state: T) => Partial<T>)): void;
  subscribe(listener: (state: T) => void): () => void;
}

/** `onError`: told when a listener throws; the listeners after it hear the change all the same. */
export function createStore<T extends object>(initial: T, onError: (error: unknown) => void = console.error): Store<T> {
  let state = initial;
  const listeners = new Set<(state: T) => void>();
  return {
    get: () => state,
    set(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...next };
      for (const listener of listeners) {
        try {
          listener(state);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T extends object>(store: Store<T>): T {
  const [state, setState] = useState(store.get());
  useEffect(() => {
    setState(store.get());
    return store.subscribe(setState);
  }, [store]);
  return state;
}
