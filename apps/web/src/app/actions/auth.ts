'use server';

import { redirect } from 'next/navigation';
import type { AuthError } from '@supabase/supabase-js';
import { fieldErrors, nextPath, signInInput, signUpInput } from '@quire/domain/schemas';
import { supabaseServer } from '@/lib/auth/server';

export interface AuthFormState {
  error?: string;
  fields?: Record<string, string>;
  notice?: string;
  email?: string;
}

/** What a person should read for each thing Supabase Auth (or the embedded one) can answer. */
function explain(error: AuthError): string {
  switch (error.code) {
    case 'invalid_credentials':
      return 'That email and password do not match an account. Check them and try again.';
    case 'user_already_exists':
    case 'email_exists':
      return 'An account with this email already exists. Sign in instead.';
    case 'weak_password':
    case 'validation_failed':
    case 'over_request_rate_limit':
      return error.message;
    case 'email_not_confirmed':
      return 'Confirm your email address first: open the link we sent you, then sign in.';
    case 'signup_disabled':
      return 'New accounts cannot be created on this server right now.';
    case 'user_banned':
      return 'This account is suspended.';
  }
  if (error.status === 429) return 'Too many attempts. Wait a few minutes and try again.';
  if (!error.status || error.status >= 500) return 'Quire cannot reach its sign-in service right now. Try again in a moment.';
  return error.message || 'Sign-in did not work. Try again.';
}

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = String(form.get('email') ?? '');
  const parsed = signInInput.safeParse({ email, password: form.get('password') ?? '' });
  if (!parsed.success) return { error: 'Check the highlighted fields.', fields: fieldErrors(parsed.error), email };
  const supabase = await supabaseServer();
  const { error } = await supabase.auth.signInWithPassword(parsed.data);
  if (error) return { error: explain(error), email };
  redirect(nextPath.parse(form.get('next')?.toString()));
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = String(form.get('email') ?? '');
  const parsed = signUpInput.safeParse({ email, password: form.get('password') ?? '', displayName: form.get('displayName') ?? '' });
  if (!parsed.success) return { error: 'Check the highlighted fields.', fields: fieldErrors(parsed.error), email };
  const supabase = await supabaseServer();
  const { data, error } = await supabase.auth.signUp({
    email: parsed.data.email,
    password: parsed.data.password,
    options: { data: { display_name: parsed.data.displayName || parsed.data.email.split('@')[0] } },
  });
  if (error) return { error: explain(error), email };
  // Supabase projects that confirm addresses answer without a session until the link in the email is opened.
  if (!data.session) return { notice: 'Almost there: open the link we emailed you to confirm your address, then sign in.', email };
  redirect(nextPath.parse(form.get('next')?.toString()));
}

export async function signOutAction(): Promise<void> {
  const supabase = await supabaseServer();
  // only this browser: other devices stay signed in
  await supabase.auth.signOut({ scope: 'local' });
  redirect('/sign-in');
}
