// Demo data: every query is scoped to the caller; someone else's note id is "not found" (T45).
import { NOTE_MAX_LENGTH } from '@app/shared';
import { badUserInput } from '../../auth/errors.js';
import { requireViewer, type AppContext } from '../context.js';
import { isUuid, toNote } from './mappers.js';


export const noteQueries = {
  async notes(_: unknown, __: unknown, ctx: AppContext) {
    const viewer = requireViewer(ctx);
    const notes = await ctx.prisma.note.findMany({ where: { userId: viewer.userId }, orderBy: { createdAt: 'desc' }, take: 200 });
    return notes.map(toNote);
  },
};

export const noteMutations = {
  async addNote(_: unknown, args: { text: string }, ctx: AppContext) {
    const viewer = requireViewer(ctx);
    const text = args.text.trim();
    if (text.length === 0 || text.length > NOTE_MAX_LENGTH) {
      throw badUserInput(`A note must be 1 to ${NOTE_MAX_LENGTH} characters long`);
    }
    return toNote(await ctx.prisma.note.create({ data: { userId: viewer.userId, text } }));
  },

  async deleteNote(_: unknown, args: { id: string }, ctx: AppContext) {
    const viewer = requireViewer(ctx);
    if (!isUuid(args.id)) throw badUserInput('Note not found');
    const { count } = await ctx.prisma.note.deleteMany({ where: { id: args.id, userId: viewer.userId } });
    if (count === 0) throw badUserInput('Note not found');
    return true;
  },
};
