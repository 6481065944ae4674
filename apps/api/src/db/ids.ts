// Every id in the schema is a UUID (`@db.Uuid`): anything else cannot name a row, so it is "not
// found" without a query (and never reaches a `::uuid` cast, which would fail at bind time).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);
