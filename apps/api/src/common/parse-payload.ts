/** Strict shape checks of client input (socket payloads, REST bodies) with zod. */
import type { z } from 'zod';
import { ValidationError } from './domain-errors';

/** Returns the typed payload or throws VALIDATION_ERROR naming the first problem (never echoing input). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  throw new ValidationError(`${where}${issue?.message ?? 'invalid payload'}`);
}
