// `pnpm db:diff <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that brings the committed migrations up to schema.prisma, or says there is nothing to do.
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffSchemaAgainstMigrations, LOCKFILE_CONTENT, LOCKFILE_NAME } from '../migrations.js';
import { migrationsDir } from '../paths.js';

/** The name as Prisma would use it: anything but letters, digits and `_` made `_`. */
function slug(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

/** Prisma's folder name: UTC yyyyMMddHHmmss, `_`, the name. Sorting by name = by time. */
function folderName(name: string, now = new Date()): string {
  return `${now.toISOString().replace(/\D/g, '').slice(0, 14)}_${name}`;
}

async function main(): Promise<number> {
  const name = slug(process.argv.slice(2).join(' '));
  if (!name) {
    console.error('Usage: pnpm db:diff <migration-name>   (e.g. pnpm db:diff add_note_title)');
    return 2;
  }
  const sql = await diffSchemaAgainstMigrations();
  if (!sql) {
    console.log('No changes: prisma/migrations already matches prisma/schema.prisma.');
    return 0;
  }
  const folder = path.join(migrationsDir, folderName(name));
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  const lockfile = path.join(migrationsDir, LOCKFILE_NAME);
  await access(lockfile).catch(() => writeFile(lockfile, LOCKFILE_CONTENT));
  console.log(`Wrote ${path.relative(process.cwd(), path.join(folder, 'migration.sql'))}:\n\n${sql}`);
  console.log('Review it, then apply it with `pnpm db:migrate` (the API also migrates at start).');
  return 0;
}

process.exitCode = await main();
