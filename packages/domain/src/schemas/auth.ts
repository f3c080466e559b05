import { z } from 'zod';
import { email } from './common';

export const PASSWORD_MIN = 8;
// bcrypt only reads the first 72 bytes; longer passwords would silently match their prefix.
export const PASSWORD_MAX_BYTES = 72;

export const password = z
  .string({ message: 'Enter a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters for your password.`)
  .refine((value) => new TextEncoder().encode(value).length <= PASSWORD_MAX_BYTES, {
    message: `Keep your password under ${PASSWORD_MAX_BYTES} bytes.`,
  });

export const displayName = z.string().trim().max(80, 'Keep your name under 80 characters.');

export const signUpInput = z.object({
  email,
  password,
  displayName: displayName.optional().default(''),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email,
  // sign-in does not re-check strength: old passwords may predate today's rule
  password: z.string({ message: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'That password is too long.'),
});
export type SignInInput = z.infer<typeof signInInput>;

/** Where to go after signing in: a path on this site only, never another origin. */
export const nextPath = z
  .string()
  .optional()
  .transform((value) => (value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/projects'));

// --- the GoTrue-compatible wire format (bodies supabase-js sends) ---

export const gotrueSignUpBody = z.object({
  email: z.string().max(1024),
  password: z.string().max(1024),
  data: z.record(z.string(), z.unknown()).optional().nullable(),
});

export const gotruePasswordGrantBody = z.object({
  email: z.string().max(1024),
  password: z.string().max(1024),
});

export const gotrueRefreshGrantBody = z.object({
  refresh_token: z.string().min(1).max(512),
});

export const gotrueUpdateUserBody = z.object({
  email: z.string().max(1024).optional(),
  password: z.string().max(1024).optional(),
  data: z.record(z.string(), z.unknown()).optional().nullable(),
});
