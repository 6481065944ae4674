// Alternative 1: GraphQL Yoga with no plugins at all, same schema — what the plugin stack costs.
import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { portFromEnv, schema } from './schema.js';

const yoga = createYoga({ schema, landingPage: false, graphiql: false, logging: false });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
