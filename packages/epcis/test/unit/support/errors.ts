/** The error of class `type` that `fn` throws (any other error is rethrown); fails when `fn` returns. */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The `code` of the error of class `type` that `fn` throws, or `undefined` when `fn` returns. */
export function thrownCode<E extends Error & { readonly code: string }>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => E,
): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e.code;
    throw e;
  }
  return undefined;
}
