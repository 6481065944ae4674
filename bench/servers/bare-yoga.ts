// Alternative 1: GraphQL Yoga with no plugins at all, same schema — what the plugin stack costs.
import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { portFromEnv, schema } from './schema.js';

// Yoga's body-size stream off, as in the API (which bounds bodies by Content-Length before any
// read): otherwise this figure would count a Yoga default we removed as our plugins' gain.
const yoga = createYoga({ schema, landingPage: false, graphiql: false, logging: false, maxRequestBodySize: false });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
