import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

describe('loadConfig', () => {
  it('listens on loopback unless API_HOST says otherwise: the web server is the front door', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ API_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('refuses to start in production without configured signing keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEYS/);
  });
});
