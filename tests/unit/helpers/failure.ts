import { IgError } from '@/lib/errors';

/** The IgError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<IgError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IgError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}
