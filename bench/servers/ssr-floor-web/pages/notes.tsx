// The thinnest signed-in page: one request to ../ssr-floor-api.ts with the browser's cookie (its one
// statement rotates the token and reads the user and their notes), the rotated cookie relayed, the
// list rendered. Nothing else: no checks, no Apollo, no layout, no security headers.
import type { GetServerSideProps } from 'next';
import { exchange, type Exchange } from '../exchange';

const BODY = JSON.stringify({ query: 'mutation { refreshAccessToken { accessToken user { id email } notes { id text createdAt } } }' });

export const getServerSideProps: GetServerSideProps<Exchange> = async ({ req, res }) => {
  res.setHeader('Cache-Control', 'private, no-store');
  const answer = await exchange(BODY, req.headers.cookie ?? '');
  for (const line of answer.setCookies) res.appendHeader('Set-Cookie', line);
  if (!answer.data) return { redirect: { destination: '/signin', permanent: false } };
  return { props: answer.data };
};

export default function Notes({ user, notes }: Exchange) {
  return (
    <main>
      <h1>Notes of {user.email}</h1>
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul>
          {notes.map((note) => (
            <li key={note.id}>{note.text}</li>
          ))}
        </ul>
      )}
    </main>
  );
}
