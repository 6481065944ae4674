import { useApolloClient } from '@apollo/client';
import { useState } from 'react';
import { signOut } from '../lib/auth/sign-out';
import { userMessage } from '../lib/errors';

export function SignOutButton() {
  const client = useApolloClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function onClick() {
    setBusy(true);
    setError(undefined);
    try {
      await signOut(client);
    } catch (e) {
      setError(`Sign-out failed: ${userMessage(e)}`);
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="secondary" onClick={onClick} disabled={busy}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}
