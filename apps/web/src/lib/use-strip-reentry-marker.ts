// After the same-site re-navigation (ADR 0005) the address bar shows `?reentry=1`; drop it.
import { useRouter } from 'next/router';
import { useEffect } from 'react';
import { REENTRY_PARAM } from './ssr/cross-site-arrival';

export function useStripReentryMarker(): void {
  const router = useRouter();
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has(REENTRY_PARAM)) return;
    url.searchParams.delete(REENTRY_PARAM);
    // shallow: only the URL changes; getServerSideProps does not run again.
    void router.replace(`${url.pathname}${url.search}${url.hash}`, undefined, { shallow: true });
  }, [router]);
}
