// The thinnest app's one request to its API (../ssr-floor-api.ts): the browser's cookie in, the API's
// answer and its Set-Cookie lines out. node:http over one keep-alive agent, like the app's own
// page server (apps/web/src/lib/ssr/api-fetch.ts). Shared by its three signed-in pages.
import http from 'node:http';

export type Note = { __typename?: 'Note'; id: string; text: string; createdAt: string };
export type User = { __typename?: 'User'; id: string; email: string };
export type Exchange = { accessToken: string; user: User; notes: Note[] };

const agent = new http.Agent({ keepAlive: true });

// Parsed on the first request, once: `next build` loads the pages without the variable.
let floorApi: URL | undefined;

export function exchange(body: string, cookie: string): Promise<{ setCookies: string[]; data: Exchange | null }> {
  const api = (floorApi ??= new URL(process.env['FLOOR_API_URL'] ?? 'http://127.0.0.1:1'));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: api.hostname,
        port: api.port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { refreshAccessToken: Exchange | null } };
          resolve({ setCookies: response.headers['set-cookie'] ?? [], data: answer.data?.refreshAccessToken ?? null });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
