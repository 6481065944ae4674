import Link from 'next/link';
import { useRouter } from 'next/router';
import { CredentialsForm } from '../components/CredentialsForm';
import { PublicLayout } from '../components/Layout';
import { SIGN_IN } from '../lib/graphql';
import { safeNextPath } from '../lib/safe-next';
import { dynamicPage } from '../lib/ssr/with-session';

const REASONS: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'session-ended': 'Your session has ended. Please sign in again.',
};

export default function SignInPage() {
  const { query } = useRouter();
  const reason = typeof query['reason'] === 'string' ? REASONS[query['reason']] : undefined;
  const next = safeNextPath(query['next']);
  return (
    <PublicLayout title="Sign in">
      {reason && (
        <p role="status" className="notice">
          {reason}
        </p>
      )}
      <CredentialsForm mode="sign-in" mutation={SIGN_IN} submitLabel="Sign in" />
      <p>
        No account yet? <Link href={next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`}>Create one</Link>
      </p>
    </PublicLayout>
  );
}

export const getServerSideProps = dynamicPage;
