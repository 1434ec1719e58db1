/**
 * The value a `use…()` fixture hands a test file: its hooks replace what it points at before each test, and `view`
 * reads the current one's fields when they are read, so a file holds the view in a top-level `const` and uses it
 * inside tests and hooks. Read outside a test, it throws instead of answering with a stale or missing value.
 */
export function liveFixture<T extends object>(name: string): { view: T; set(value: T | undefined): void } {
  let current: T | undefined;
  const view = new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`${name} is used outside a test`);
      return Reflect.get(current, key) as unknown;
    },
  });
  return {
    view,
    set(value) {
      current = value;
    },
  };
}
