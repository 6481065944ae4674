// The frame of every signed-in page: navigation, who you are, sign-out. When this tab's session
// ends, it stops rendering the page (private data included) at once, before the redirect happens.
import Head from 'next/head';
import Link from 'next/link';
import { useRouter } from 'next/router';
import { useSyncExternalStore, type ReactNode } from 'react';
import { useCachedQuery } from '../lib/apollo/use-cached-query';
import { tokenStore } from '../lib/auth/token-store';
import { ME } from '../lib/graphql';
import { SignOutButton } from './SignOutButton';

const NAV = [
  { href: '/', label: 'Home' },
  { href: '/notes', label: 'Notes' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/token', label: 'Token inspector' },
];

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const router = useRouter();
  const ended = useSyncExternalStore(
    tokenStore.subscribe,
    () => tokenStore.ended,
    () => false,
  );
  const { data } = useCachedQuery(ME, { fetchPolicy: 'cache-only' });
  const pageTitle = `${title} · JWT auth reference`;

  if (ended) {
    return (
      <main className="page">
        <Head>
          <title>{pageTitle}</title>
        </Head>
        <p role="status">Signed out. Taking you to the sign-in page…</p>
      </main>
    );
  }

  return (
    <>
      <Head>
        <title>{pageTitle}</title>
      </Head>
      <header className="topbar">
        <nav aria-label="Main">
          {NAV.map(({ href, label }) => (
            <Link key={href} href={href} aria-current={router.pathname === href ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <div className="account">
          {data?.me && <span data-testid="current-user">{data.me.email}</span>}
          <SignOutButton />
        </div>
      </header>
      <main className="page">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}

/** The frame of the public pages (sign-in, sign-up). */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Head>
        <title>{`${title} · JWT auth reference`}</title>
      </Head>
      <main className="page narrow">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
