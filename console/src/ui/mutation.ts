import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { errorMessage } from '../api.js';
import { useNotify } from './notify.js';

/**
 * A write with the console's manners: `isPending` drives the button's progress label, success says what happened,
 * failure shows the API's own message, and the listed queries are refetched afterwards.
 */
export function useWrite<TInput, TResult>(options: {
  run: (input: TInput) => Promise<TResult>;
  success?: string | ((result: TResult, input: TInput) => string | undefined);
  invalidate?: QueryKey[];
  onSuccess?: (result: TResult, input: TInput) => void;
  /** Leave error display to the form (field errors); a message is still announced. */
  quietErrors?: boolean;
}) {
  const client = useQueryClient();
  const notify = useNotify();
  return useMutation<TResult, unknown, TInput>({
    mutationFn: options.run,
    onSuccess: async (result, input) => {
      const text = typeof options.success === 'function' ? options.success(result, input) : options.success;
      if (text) notify('success', text);
      options.onSuccess?.(result, input);
      await Promise.all((options.invalidate ?? []).map((queryKey) => client.invalidateQueries({ queryKey })));
    },
    onError: (error) => {
      if (!options.quietErrors) notify('error', errorMessage(error));
    },
  });
}
