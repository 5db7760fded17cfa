// Bootstrap of a Node engine worker thread: tsx's loader registered in the main thread does not reach
// worker threads, so register it here (as bin/slidetile.mjs does) and then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./node-worker.ts');
