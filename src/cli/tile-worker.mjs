// Bootstrap of an extract worker thread: plain Node cannot load TypeScript, so register tsx (as
// bin/slidetile.mjs does) and then load the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./tile-worker.ts');
