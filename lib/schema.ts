/**
 * zod for the extension's bundles: the tree-shakable `zod/mini` (the classic API adds ~90 KB
 * gzip to each bundle), without the JIT that builds parsers with `new Function` (AMO's
 * linter and strict CSPs refuse it). Every extension module imports `z` from here.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };
