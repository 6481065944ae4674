// The server render reads the page's data from the cache the page server filled, without
// useQuery (src/lib/apollo/use-cached-query.ts): the same HTML the data calls for, nothing fetched.
// Runs where pages render on the server: in Node, with no `window`.
import { ApolloProvider } from '@apollo/client';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createCache, initializeApollo } from '../src/lib/apollo/client';
import { useCachedQuery } from '../src/lib/apollo/use-cached-query';
import { ME, NOTES } from '../src/lib/graphql';

const me = { __typename: 'User' as const, id: 'u1', email: 'reader@example.com', createdAt: '2026-01-01T00:00:00.000Z' };
const notes = [
  { __typename: 'Note' as const, id: 'n2', text: 'second <b>note</b>', createdAt: '2026-01-02T00:00:00.000Z' },
  { __typename: 'Note' as const, id: 'n1', text: 'first note', createdAt: '2026-01-01T00:00:00.000Z' },
];

function Page() {
  const who = useCachedQuery(ME, { fetchPolicy: 'cache-only' }).data?.me;
  const list = useCachedQuery(NOTES).data?.notes;
  return h('main', null, h('p', null, who ? who.email : 'nobody'), list ? list.map((n) => h('li', { key: n.id }, n.text)) : 'no list');
}

/** What with-session hands _app: the normalised cache of this request, as page props carry it. */
function pageState(data: { me?: boolean; notes?: boolean }) {
  const cache = createCache();
  if (data.me) cache.writeQuery({ query: ME, data: { me } });
  if (data.notes) cache.writeQuery({ query: NOTES, data: { notes } });
  return JSON.parse(JSON.stringify(cache.extract())) as ReturnType<typeof cache.extract>;
}

const render = (state: ReturnType<typeof pageState>) =>
  renderToString(h(ApolloProvider, { client: initializeApollo(state), children: h(Page) }));

describe('useCachedQuery on the server', () => {
  it('renders the data the page server put in the cache, in its order, escaped', () => {
    expect(typeof window).toBe('undefined');
    const html = render(pageState({ me: true, notes: true }));
    expect(html).toContain('reader@example.com');
    expect(html).toContain('second &lt;b&gt;note&lt;/b&gt;');
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('first note'));
  });

  it('a query the cache cannot answer renders as no data, and nothing is fetched', () => {
    // The render-only client fails any network request loudly; none may happen here.
    const html = render(pageState({ me: true }));
    expect(html).toContain('reader@example.com');
    expect(html).toContain('no list');
    expect(render(pageState({}))).toContain('nobody');
  });

  it("each render reads its own request's cache: one person's data never shows in another's page (T33)", () => {
    const other = createCache();
    other.writeQuery({ query: ME, data: { me: { ...me, id: 'u2', email: 'other@example.com' } } });
    const first = render(pageState({ me: true, notes: true }));
    const second = render(other.extract());
    expect(first).toContain('reader@example.com');
    expect(second).toContain('other@example.com');
    expect(second).not.toContain('reader@example.com');
    expect(second).not.toContain('first note');
  });
});
