// The thinnest signed-in page: one request to ../ssr-floor-api.ts with the browser's cookie (its one
// statement rotates the token and reads the user and their notes), the rotated cookie relayed, the
// list rendered. Nothing else: no checks, no Apollo, no layout, no security headers.
import http from 'node:http';
import type { GetServerSideProps } from 'next';

type Note = { id: string; text: string; createdAt: string };
type Props = { accessToken: string; user: { id: string; email: string }; notes: Note[] };

const agent = new http.Agent({ keepAlive: true });
const BODY = JSON.stringify({ query: 'mutation { refreshAccessToken { accessToken user { id email } notes { id text createdAt } } }' });

// Parsed on the first request, once: `next build` loads this module without the variable.
let floorApi: URL | undefined;

function exchange(cookie: string): Promise<{ setCookies: string[]; data: Props | null }> {
  const api = (floorApi ??= new URL(process.env['FLOOR_API_URL'] ?? 'http://127.0.0.1:1'));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: api.hostname,
        port: api.port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), cookie },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { refreshAccessToken: Props | null } };
          resolve({ setCookies: response.headers['set-cookie'] ?? [], data: body.data?.refreshAccessToken ?? null });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(BODY);
  });
}

export const getServerSideProps: GetServerSideProps<Props> = async ({ req, res }) => {
  res.setHeader('Cache-Control', 'private, no-store');
  const answer = await exchange(req.headers.cookie ?? '');
  for (const line of answer.setCookies) res.appendHeader('Set-Cookie', line);
  if (!answer.data) return { redirect: { destination: '/signin', permanent: false } };
  return { props: answer.data };
};

export default function Notes({ user, notes }: Props) {
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
