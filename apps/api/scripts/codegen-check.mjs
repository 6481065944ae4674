// Fails when the committed generated GraphQL types differ from what `pnpm codegen` would write
// from the current SDL: the resolvers must never be checked against a stale copy of the schema.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { config } = await loadCodegenConfig({ configFilePath: resolve(root, 'codegen.ts') });
const outputs = await generate({ ...config, cwd: root, silent: true }, false);
let stale = 0;
for (const { filename, content } of outputs) {
  const path = resolve(root, filename);
  const committed = await readFile(path, 'utf8').catch(() => null);
  if (committed !== content) {
    stale++;
    console.error(`${filename} is out of date with src/graphql/type-defs.ts: run \`pnpm --filter @app/api codegen\`.`);
  }
}
process.exit(stale === 0 ? 0 : 1);
