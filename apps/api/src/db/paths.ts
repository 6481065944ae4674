// Where the schema and its migrations live. Resolved from this file (src/db or dist/db are
// both four levels below the repo root) so CLIs, tests and the server agree whatever the cwd.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const schemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');
