import { z } from 'zod';

/** Ids arrive in URLs and form fields; a malformed one is a bad request, never a database error. */
export const id = z.uuid({ message: 'That link or reference is not valid.' });

/** Addresses are compared lower-cased everywhere (auth.users, invitations), so normalise at the edge. */
export const email = z
  .string({ message: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter an email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ message: 'Enter a valid email address, like name@example.com.' }))
  .transform((value) => value.toLowerCase());

/** Turns zod issues into one sentence per field, the way forms show them. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}

/** The first message of a failed parse, for places that show a single line. */
export function firstError(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Something in the form is not right.';
}
