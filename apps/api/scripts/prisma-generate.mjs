// Generates the Prisma client from prisma/schema.prisma (run by `pnpm install`).
//
// `prisma generate` does not run the schema engine, but the CLI insists on finding one
// and otherwise tries to download it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// executable lets generation work offline; migrations use @prisma/schema-engine-wasm
// (see src/db/migrations.ts), so no native engine is ever needed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
execFileSync('pnpm', ['exec', 'prisma', 'generate', '--schema', '../../prisma/schema.prisma'], {
  cwd: apiDir,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
