/** Every overlay feature, in the order they start. One feature per file; the id is the file name. */
import { actionBar } from './action-bar';
import { hideBlocked } from './hide-blocked';
import { statusRefresh } from './status-refresh';
import type { Feature } from './types';

export const features: Feature[] = [hideBlocked, actionBar, statusRefresh];
