// Kept equal to package.json's version by a test (the core imports no JSON, so it runs anywhere).
export const SLIDETILE_VERSION = '0.1.0';
