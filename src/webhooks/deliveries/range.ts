import { ApiError } from '../../core/errors.js';

/** Reject an empty or reversed range with 422 (zod has checked each bound). */
export function assertRange(since: Date, until: Date): void {
  if (since.getTime() >= until.getTime())
    throw new ApiError('time_range_invalid', '`since` must be before `until`.', {
      errors: [{ path: 'since', message: 'must be before until' }],
    });
}
