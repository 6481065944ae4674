// Prisma's schema engine (migrations, diffs) compiled to WebAssembly, so no native engine
// binary has to be downloaded. The package's entry point imports its .wasm as an ES module,
// which Node cannot load, so we instantiate the module ourselves and hand it to the
// wasm-bindgen glue. The ~5 MB module is compiled once per process.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine };

let loaded: Promise<void> | undefined;
let panic: Error | undefined;

function loadWasm(): Promise<void> {
  // The glue keeps views of the instance's memory, so it cannot be pointed at a fresh instance.
  if (panic) return Promise.reject(new Error('The schema engine panicked earlier in this process', { cause: panic }));
  loaded ??= (async () => {
    // The package's exports map hides the .wasm, but it sits next to the glue file.
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  // Let a failed load be retried rather than cached forever.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

/**
 * The engine arms a 10 s JS timer per operation and never clears it, which kept every CLI
 * run (and test child process) alive 10 s after its work was done. Unref'd timers still fire
 * while anything else (an open connection) keeps the process alive, which is all they're for.
 */
function withUnrefTimers(imports: typeof glue): WebAssembly.ModuleImports {
  const name = Object.keys(imports).find((k) => k.startsWith('__wbg_setTimeout_'));
  if (!name) return imports as WebAssembly.ModuleImports;
  return {
    ...imports,
    [name]: (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref(),
  };
}

// On a Rust panic the module reports the message here, then traps. The trap surfaces as an
// uncaught RuntimeError in some later task and the pending call would never settle, so the
// calls in flight are rejected with the message instead, and later calls refuse to run on the
// trapped instance. (Without this global the report itself throws a TypeError hiding the message.)
const inFlight = new Set<(err: Error) => void>();
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    panic = new Error(`Prisma schema engine panicked: ${message}`);
    for (const reject of inFlight) reject(panic);
  },
};

/**
 * Runs `fn` with a schema engine talking to the database(s) of `factory`, then frees the
 * engine and disposes every connection it opened (the engine does not reliably do so itself,
 * and a leaked connection would block the single-connection embedded server).
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  datamodels: [path: string, content: string][],
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  const log = (line: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error('[schema-engine]', line);
  };

  let rejectOnPanic!: (err: Error) => void;
  const panicked = new Promise<never>((_, reject) => (rejectOnPanic = reject));
  inFlight.add(rejectOnPanic);
  let engine: SchemaEngine | undefined;
  try {
    engine = await Promise.race([glue.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(tracked)), panicked]);
    return await Promise.race([fn(engine), panicked]);
  } finally {
    inFlight.delete(rejectOnPanic);
    if (!panic) engine?.free(); // freeing into a trapped instance would trap again
    await Promise.allSettled(opened.map((a) => a.dispose()));
  }
}
