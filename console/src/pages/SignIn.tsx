import { useState, type FormEvent } from 'react';
import { api, call, errorMessage } from '../api.js';
import { useResetSession } from '../auth.js';
import { Field } from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const reset = useResetSession();
  const signIn = useWrite({
    run: (body: { email: string; password: string }) => call(api.POST('/v1/sessions', { body })),
    onSuccess: () => reset(),
    quietErrors: true,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Switchyard</h1>
        <Field label="Email" required>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" required>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {signIn.error !== null && (
          <p className="callout callout-error" role="alert">
            {errorMessage(signIn.error)}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="help">
          Users are created by a tenant administrator (<code>switchyard users create</code> or the API). API keys are
          for programs, not for this console.
        </p>
      </form>
    </main>
  );
}
