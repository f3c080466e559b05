'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { signInAction, signUpAction, type AuthFormState } from '@/app/actions/auth';
import { Alert, Field, inputClass } from '@/components/ui';
import { SubmitButton } from '@/components/ui/SubmitButton';

export function AuthForm({ mode, next, email }: { mode: 'sign-in' | 'sign-up'; next: string; email?: string }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(mode === 'sign-in' ? signInAction : signUpAction, { email });
  const fields = state.fields ?? {};
  const query = `?next=${encodeURIComponent(next)}`;
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="next" value={next} />
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.notice ? <Alert tone="success">{state.notice}</Alert> : null}
      {mode === 'sign-up' ? (
        <Field label="Your name" htmlFor="displayName" error={fields.displayName} hint="Shown to people you write with.">
          <input id="displayName" name="displayName" autoComplete="name" maxLength={80} className={inputClass} />
        </Field>
      ) : null}
      <Field label="Email" htmlFor="email" error={fields.email}>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email ?? email ?? ''}
          aria-invalid={Boolean(fields.email)}
          aria-describedby={fields.email ? 'email-error' : undefined}
          className={inputClass}
        />
      </Field>
      <Field
        label="Password"
        htmlFor="password"
        error={fields.password}
        hint={mode === 'sign-up' ? 'At least 8 characters.' : undefined}
      >
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
          required
          minLength={mode === 'sign-up' ? 8 : undefined}
          aria-invalid={Boolean(fields.password)}
          aria-describedby={fields.password ? 'password-error' : undefined}
          className={inputClass}
        />
      </Field>
      <SubmitButton className="w-full" pendingLabel={mode === 'sign-in' ? 'Signing in…' : 'Creating your account…'}>
        {mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </SubmitButton>
      <p className="text-center text-sm text-stone-600">
        {mode === 'sign-in' ? (
          <>
            New to Quire?{' '}
            <Link href={`/sign-up${query}`} className="font-medium text-accent underline-offset-2 hover:underline">
              Create an account
            </Link>
          </>
        ) : (
          <>
            Already have an account?{' '}
            <Link href={`/sign-in${query}`} className="font-medium text-accent underline-offset-2 hover:underline">
              Sign in
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
