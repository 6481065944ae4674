// Alternative 1: GraphQL Yoga with no plugins at all, same schema — what the plugin stack costs.
import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { BARE_YOGA_OPTIONS, portFromEnv, schema } from './schema.js';

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
