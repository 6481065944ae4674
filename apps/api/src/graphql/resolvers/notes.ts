// Demo data: every query is scoped to the caller; someone else's note id is "not found" (T45).
import { NOTE_MAX_LENGTH } from '@app/shared';
import { badUserInput, forbidden } from '../errors.js';
import type { NoteEvent } from '../../subscriptions/events.js';
import { requireViewer } from '../context.js';
import type { MutationResolvers, QueryResolvers, SubscriptionResolvers } from '../generated/resolvers-types.js';
import { isUuid, toNote } from './mappers.js';

export const noteQueries = {
  async notes(parent, __, ctx) {
    const viewer = requireViewer(ctx, parent);
    return (await ctx.notes.newestOf(viewer.userId)).map(toNote);
  },
} satisfies QueryResolvers;

export const noteMutations = {
  async addNote(_, args, ctx) {
    const viewer = requireViewer(ctx);
    const text = args.text.trim();
    if (text.length === 0 || text.length > NOTE_MAX_LENGTH) {
      throw badUserInput(`A note must be 1 to ${NOTE_MAX_LENGTH} characters long`);
    }
    const note = toNote(await ctx.prisma.note.create({ data: { userId: viewer.userId, text } }));
    // Published on the owner's own topic only: nobody else can subscribe to it (T15, T45).
    ctx.events.publish('noteAdded', viewer.userId, note);
    return note;
  },

  async deleteNote(_, args, ctx) {
    const viewer = requireViewer(ctx);
    if (!isUuid(args.id)) throw badUserInput('Note not found');
    const { count } = await ctx.prisma.note.deleteMany({ where: { id: args.id, userId: viewer.userId } });
    if (count === 0) throw badUserInput('Note not found');
    return true;
  },
} satisfies MutationResolvers;

export const noteSubscriptions = {
  noteAdded: {
    subscribe(_, __, ctx) {
      // Only over the graphql-ws socket, whose lifetime is bound to the token and the session
      // (closed at `exp` and on revocation). Yoga would otherwise also stream over HTTP (SSE),
      // where nothing would end the stream when the session is revoked.
      if (ctx.transport !== 'websocket') throw forbidden('Subscriptions are served over graphql-ws only');
      const viewer = requireViewer(ctx);
      return ctx.events.subscribe('noteAdded', viewer.userId);
    },
    resolve: (note: NoteEvent) => note,
  },
} satisfies SubscriptionResolvers;
