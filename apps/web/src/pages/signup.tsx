import Link from 'next/link';
import { useRouter } from 'next/router';
import { CredentialsForm } from '../components/CredentialsForm';
import { PublicLayout } from '../components/Layout';
import { SIGN_UP } from '../lib/graphql';
import { safeNextPath } from '../lib/safe-next';
import { dynamicPage } from '../lib/ssr/with-session';

export default function SignUpPage() {
  const next = safeNextPath(useRouter().query['next']);
  return (
    <PublicLayout title="Create an account">
      <CredentialsForm mode="sign-up" mutation={SIGN_UP} submitLabel="Create account" />
      <p>
        Already have an account? <Link href={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </PublicLayout>
  );
}

export const getServerSideProps = dynamicPage;
