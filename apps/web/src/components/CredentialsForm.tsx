// The sign-in and sign-up form. On success it navigates with a full page load to `next`: the page's
// server then does the SSR exchange, and the new session starts in a fresh document, so nothing from
// the signed-out page (cache, state) carries over into the signed-in one.
import { useMutation, type TypedDocumentNode } from '@apollo/client';
import { useRouter } from 'next/router';
import { useState, type FormEvent } from 'react';
import { userMessage } from '../lib/errors';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, validateEmail, validateExistingPassword, validateNewPassword } from '../lib/input-rules';
import { safeNextPath } from '../lib/safe-next';
import { Field } from './Field';
import { FormError } from './FormError';

type Credentials = { email: string; password: string };

type Props = {
  mode: 'sign-in' | 'sign-up';
  mutation: TypedDocumentNode<unknown, Credentials>;
  submitLabel: string;
};

export function CredentialsForm({ mode, mutation, submitLabel }: Props) {
  const router = useRouter();
  const [run] = useMutation(mutation);
  const [submitting, setSubmitting] = useState(false);
  const [apiError, setApiError] = useState<string>();
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const found = {
      email: validateEmail(email),
      password: mode === 'sign-up' ? validateNewPassword(password) : validateExistingPassword(password),
    };
    setErrors(found);
    setApiError(undefined);
    if (found.email || found.password) return;

    setSubmitting(true);
    try {
      await run({ variables: { email: email.trim(), password } });
      // Only a path on this site (THREATS T32). Full load: SSR hands over token and data.
      window.location.assign(safeNextPath(router.query['next']));
    } catch (error) {
      setApiError(userMessage(error));
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
      {/* A disabled fieldset disables every control in it while the request is in flight. */}
      <fieldset disabled={submitting}>
        <Field
          id="email"
          label="E-mail"
          type="email"
          autoComplete={mode === 'sign-up' ? 'email' : 'username'}
          required
          error={errors.email}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
          required
          {...(mode === 'sign-up'
            ? {
                minLength: PASSWORD_MIN_LENGTH,
                maxLength: PASSWORD_MAX_LENGTH,
                hint: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. A passphrase is easiest.`,
              }
            : {})}
          error={errors.password}
        />
        <FormError message={apiError} />
        <button type="submit">{submitting ? `${submitLabel}…` : submitLabel}</button>
      </fieldset>
    </form>
  );
}
