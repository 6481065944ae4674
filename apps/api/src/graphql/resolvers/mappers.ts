// Database rows → GraphQL objects. Only the fields the schema exposes ever leave the server.
import type { Note, Session, User } from '../../generated/prisma/client.js';

export const toUser = (u: Pick<User, 'id' | 'email' | 'createdAt'>) => ({ id: u.id, email: u.email, createdAt: u.createdAt.toISOString() });

export const toNote = (n: Note) => ({ id: n.id, text: n.text, createdAt: n.createdAt.toISOString() });

export const toSession = (
  s: Pick<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'idleExpiresAt' | 'userAgent'>,
  currentSessionId: string,
) => ({
  id: s.id,
  createdAt: s.createdAt.toISOString(),
  lastUsedAt: s.lastUsedAt.toISOString(),
  expiresAt: s.idleExpiresAt.toISOString(),
  userAgent: s.userAgent,
  current: s.id === currentSessionId,
});

/** Ids are UUIDs; anything else cannot exist, so it is "not found" without a query. */
export { isUuid } from '../../db/ids.js';
