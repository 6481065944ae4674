export * from './auth-names.js';
export * from './operations.js';
