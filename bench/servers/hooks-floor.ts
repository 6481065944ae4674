// Alternative 9: the floor of the anonymous ÷ bare Yoga figure that no plugin's work can go below.
// Bare Yoga (same schema, same settings as servers/bare-yoga.ts) plus as many plugin hooks of each
// kind as the API's stack registers (apps/api/src/server.ts), each doing nothing. Its req/s ÷ bare
// Yoga's is what Yoga and envelop charge a request for dispatching those hooks alone; the rest of
// our plugin stack's cost is the work the defences do in them.
import { createServer } from 'node:http';
import { createYoga, type Plugin } from 'graphql-yoga';
import { BARE_YOGA_OPTIONS, portFromEnv, schema } from './schema.js';

const nothing = () => {};
const times = (n: number, plugin: () => Plugin): Plugin[] => Array.from({ length: n }, plugin);

// One line per hook kind; the count is how many of the API's plugins use it (keep in step).
const hooks: Plugin[] = [
  // body limit, health and keys, CSRF, GET parameters
  ...times(4, () => ({ onRequest: nothing })),
  // JSON or GET requests only
  ...times(1, () => ({ onRequestParse: nothing })),
  // graphql-armor's token limit
  ...times(1, () => ({ onParse: nothing })),
  // graphql-armor's depth, aliases, cost, directives and suggestion masking; no introspection
  ...times(6, () => ({ onValidate: nothing })),
  // response cookies, authentication
  ...times(2, () => ({ onContextBuilding: nothing })),
  // the auth rate limit
  ...times(1, () => ({ onExecute: nothing })),
  // the contract's error codes
  ...times(1, () => ({ onResultProcess: nothing })),
  // response cookies
  ...times(1, () => ({ onResponse: nothing })),
];

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS, plugins: hooks });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
