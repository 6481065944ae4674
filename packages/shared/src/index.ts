export * from './auth-names.js';
export * from './operations.js';
export * from './input-limits.js';
