// The driver adapter the schema engine talks through: adapter-pg over ONE pg connection (the
// engine's advisory lock is per session, and the embedded server serves one session), failing
// fast when the server is unreachable.
//
// WHY the "char" patch: to describe a database (drift diffs) the engine reads catalog columns
// of Postgres' internal one-byte type "char" (OID 18, e.g. pg_constraint.contype) and expects
// them typed as Character. @prisma/adapter-pg 7.10 rejects OID 18 ("Unsupported column type
// char"). So the pg client reports such columns as text (pg already parsed the values as
// strings) and remembers which they were; the adapter's result is then re-typed Character.
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// Keyed by the rows array, which adapter-pg passes through untouched as its result's `rows`.
const charColumns = new WeakMap<object, number[]>();

function reportCharAsText<T>(result: T): T {
  // A multi-statement simple query resolves to an array of results.
  for (const r of Array.isArray(result) ? result : [result]) {
    const res = r as Partial<pg.QueryResult> | undefined;
    const indexes: number[] = [];
    res?.fields?.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(i);
      }
    });
    if (indexes.length && res?.rows) charColumns.set(res.rows, indexes);
  }
  return result;
}

class CharAsTextClient extends pg.Client {
  // pg-pool calls query(config, values, callback); transactions call query(config) and await
  // it. Submittables (neither callback nor promise) pass through untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must fit all of pg's overloads
  override query(...args: unknown[]): any {
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const callback = args[cb] as (err: Error | null, res: unknown) => void;
      args[cb] = (err: Error | null, res: unknown) => callback(err, err ? res : reportCharAsText(res));
    }
    const ret = (super.query as (...a: unknown[]) => unknown)(...args);
    return ret instanceof Promise ? ret.then(reportCharAsText) : ret;
  }
}

function retypeCharColumns<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query): Promise<SqlResultSet> => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

function patchAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => retypeCharColumns(await startTransaction(isolationLevel));
  return retypeCharColumns(adapter);
}

/** Adapter factory for the schema engine on `connectionString`. It has no shadow database. */
export function schemaEngineAdapter(connectionString: string): SqlMigrationAwareDriverAdapterFactory {
  const pool = new pg.Pool({ connectionString, max: 1, connectionTimeoutMillis: 2000, Client: CharAsTextClient });
  const factory = new PrismaPg(pool, { disposeExternalPool: true });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patchAdapter(await factory.connect()),
    connectToShadowDb: () => Promise.reject(new Error('No shadow database here; diffs use an in-memory one')),
  };
}
