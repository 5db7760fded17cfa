// The built page runs under a Content-Security-Policy without 'unsafe-eval' (vite.config.ts), and
// must not even try to eval: a blocked attempt is still reported (Firefox's console shows it).
// zod v4 compiles object parsers with `new Function` unless told not to, and probes for it on the
// first parse — so the page switches that off before any schema runs. The interpreted parsers give
// the same results; the app parses small inputs (settings, annotations), where the JIT buys nothing.
import { config } from 'zod';

config({ jitless: true });
